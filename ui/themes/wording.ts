// A theme's "messages": the vendor's own wording for entries of the screens' catalog
// (ui/src/i18n/ja.ts), by dotted path: { "support.heading": "サポートのご案内" }. A function entry
// takes a template whose {name} placeholders are the function's parameter names:
// { "support.phoneLine": "フリーダイヤル {phone}（{hours}）" }. Checked here at build time, then
// handed to the app with the placeholders numbered (ui/src/i18n/wording.ts applies them).
import { catalog } from "../src/i18n/ja.ts";

/** What an entry of the catalog is: a text, or a function of these named values. */
export type Entry = { kind: "text" } | { kind: "function"; params: string[] };

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Every entry of a catalog by its dotted path. */
export function catalogEntries(source: object = catalog, prefix = ""): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  for (const [key, value] of Object.entries(source)) {
    const path = prefix + key;
    if (typeof value === "function") entries.set(path, { kind: "function", params: parameterNames(value as (...args: never[]) => unknown) });
    else if (typeof value === "object" && value !== null) catalogEntries(value, `${path}.`).forEach((entry, p) => entries.set(p, entry));
    else entries.set(path, { kind: "text" });
  }
  return entries;
}

/**
 * The names of an arrow function's parameters, from its source (the catalog is read unminified at
 * build time). Only plain names are allowed in the catalog; a test holds every entry to that.
 */
export function parameterNames(fn: (...args: never[]) => unknown): string[] {
  const list = /^\s*(?:\(([^()]*)\)|([A-Za-z_$][\w$]*))\s*=>/.exec(fn.toString());
  if (!list) throw new Error(`not an arrow function with plain parameters: ${fn.toString().slice(0, 60)}`);
  const names = (list[1] ?? list[2]).split(",").map((name) => name.trim()).filter((name) => name !== "");
  for (const name of names) {
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new Error(`parameter "${name}" is not a plain name`);
  }
  return names;
}

/** The problems of a theme's "messages", in Japanese (empty when there are none). */
export function checkMessages(messages: unknown, entries: Map<string, Entry> = catalogEntries()): string[] {
  if (typeof messages !== "object" || messages === null || Array.isArray(messages)) {
    return ['messages は { "画面.項目": "文言" } の形のオブジェクトで書いてください。'];
  }
  const errors: string[] = [];
  for (const [path, text] of Object.entries(messages)) {
    const entry = entries.get(path);
    if (!entry) {
      errors.push(`messages の「${path}」は画面の文言にない項目です。ui/src/i18n/ja.ts の項目名（例: support.heading）で書いてください。`);
      continue;
    }
    if (typeof text !== "string" || text.trim() === "") {
      errors.push(`messages の「${path}」は空でない文字列で書いてください。`);
      continue;
    }
    const allowed = entry.kind === "function" ? entry.params : [];
    for (const [placeholder, name] of text.matchAll(PLACEHOLDER)) {
      if (allowed.includes(name)) continue;
      errors.push(
        allowed.length === 0
          ? `messages の「${path}」の ${placeholder} は使えません。この項目には差し込む値がありません。`
          : `messages の「${path}」の ${placeholder} は使えません。使えるのは ${allowed.map((p) => `{${p}}`).join("、")} です。`,
      );
    }
  }
  return errors;
}

/** Checked messages as the app takes them: each function entry's placeholders numbered in parameter order. */
export function compileMessages(messages: Record<string, string>, entries: Map<string, Entry> = catalogEntries()): Record<string, string> {
  const compiled: Record<string, string> = {};
  for (const [path, text] of Object.entries(messages)) {
    const entry = entries.get(path);
    compiled[path] = entry?.kind === "function" ? text.replace(PLACEHOLDER, (_, name: string) => `{${entry.params.indexOf(name)}}`) : text;
  }
  return compiled;
}
