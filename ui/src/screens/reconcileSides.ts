// 予実突合's two sides: which files belong to which, what a side holds (files or folders of this PC,
// or messages of 受信一覧 or 送信一覧), and the FileSource the Rust side reads it from.
import type { FileSource } from "../bindings/FileSource";
import type { MessageSummary } from "../bindings/MessageSummary";

export type Side = "plan" | "actual";

/** The side a file belongs to, from the kind in its name; null for a folder or another file. */
export function sideOf(path: string): Side | null {
  const name = path.split(/[\\/]/).pop() ?? "";
  if (/^UPJSK_/i.test(name)) return "actual";
  if (/^(UPPLAN|UPHOSOKU|UPSIKYU)_/i.test(name)) return "plan";
  return null;
}

/** What one side holds: from one place at a time. */
export type Choice = { from: "disk"; paths: string[] } | { from: "inbox" | "outbox"; messages: MessageSummary[] };

export const nothingChosen: Choice = { from: "disk", paths: [] };

export function isEmpty(choice: Choice): boolean {
  return choice.from === "disk" ? choice.paths.length === 0 : choice.messages.length === 0;
}

/** Adds to a side from the same place; from another place, replaces what it held. */
export function added(current: Choice, more: Choice): Choice {
  if (current.from === "disk" && more.from === "disk") return { from: "disk", paths: [...current.paths, ...more.paths.filter((p) => !current.paths.includes(p))] };
  if (current.from !== "disk" && more.from === current.from) {
    const known = new Set(current.messages.map((m) => m.id));
    return { from: current.from, messages: [...current.messages, ...more.messages.filter((m) => !known.has(m.id))] };
  }
  return more;
}

/** Where the Rust side reads the side from: of a message, only the files of that side. */
export function sourceOf(choice: Choice, side: Side): FileSource {
  switch (choice.from) {
    case "disk":
      return { from: "disk", paths: choice.paths };
    case "inbox":
      return { from: "received", files: choice.messages.flatMap((m) => m.files.filter((f) => sideOf(f.name) === side)) };
    case "outbox":
      return { from: "sent", messages: choice.messages.map((m) => ({ message_id: m.id, files: m.files.filter((f) => sideOf(f.name) === side) })) };
  }
}
