// What a user is composing in 新規作成 and 一括送信, kept while the app runs: switching tabs shows
// it again as it was, and an action that would drop it (ログアウト, a draft opened over it) asks
// first. It never outlives the office's session: logging out clears it (after asking).
import type { BulkPlan } from "../bindings/BulkPlan";
import type { BulkResult } from "../bindings/BulkResult";
import type { OpenedDraft } from "../bindings/OpenedDraft";
import type { Office } from "../bindings/Office";

/** A key the relay knows a send by: 128 random bits in hex (getRandomValues works in any page). */
export const newKey = (): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

export type ComposeWork = {
  paths: string[];
  /** The 事業所番号 as typed, or as read from the files. */
  to: string;
  /** The number 送信先を確認 (or the files) confirmed, looked up at the relay. */
  confirmed: string | null;
  /** The number came from the files, not from typing: new files may replace it. */
  toFromFiles: boolean;
  message: string;
  /** The draft this composition is (opened from 下書き一覧, or saved with 一時保存). */
  draftId: string | null;
  /** The draft's destination as the relay named it when opened. */
  draftOffice: Office | null;
  /** Nothing changed since the draft was opened or saved: leaving it loses nothing. */
  savedAsDraft: boolean;
  /** This message's key, kept until the relay answers a send (see Backend.sendFiles). */
  sendKey: string;
};

export const emptyCompose = (): ComposeWork => ({
  paths: [],
  to: "",
  confirmed: null,
  toFromFiles: false,
  message: "",
  draftId: null,
  draftOffice: null,
  savedAsDraft: false,
  sendKey: newKey(),
});

/** Whether leaving 新規作成's work would lose something. */
export const composeHasWork = (c: ComposeWork): boolean =>
  !c.savedAsDraft && (c.paths.length > 0 || c.message.trim() !== "" || c.to.trim() !== "");

export type BulkEditWork = { message: string; attachments: string[] };

export type BulkWork = {
  paths: string[];
  edits: Record<string, BulkEditWork>;
  /** A draft switched here from 下書き一覧, going with its destination. */
  draft: { id: string; to: string } | null;
  /**
   * The plan's key: made when the plan is shown and kept for its retries, so that the relay stores
   * each destination once under it (`<key>:<事業所番号>`), even when an answer was lost.
   */
  planKey: string;
  /** Destinations stored under `planKey`: new files for one of them need a new key. */
  sentUnderKey: string[];
  /** Every destination's outcome so far, newest round last; 送信済 rows leave the plan. */
  rounds: BulkResult[][];
  /** The last 一括送信 got no answer: which destinations arrived is unknown, so the key stays. */
  answerLost: boolean;
  /** The destination whose 編集 is open. */
  editing: string | null;
  /** Destinations added by hand (found by name) for attachments alone: no file names them. */
  byHand: Office[];
};

export const emptyBulk = (): BulkWork => ({
  paths: [],
  edits: {},
  draft: null,
  planKey: newKey(),
  sentUnderKey: [],
  rounds: [],
  answerLost: false,
  editing: null,
  byHand: [],
});

export const bulkHasWork = (b: BulkWork): boolean => b.paths.length > 0 || b.byHand.length > 0;

/**
 * 下書き一覧's 一括送信へ: what has no destination in its name (its attachments) and its メッセージ
 * belong to the draft's destination, so the draft's files are grouped first (`plan`).
 */
export function bulkFromDraft({ draft, paths }: OpenedDraft, plan: BulkPlan): BulkWork {
  return {
    ...emptyBulk(),
    paths: paths.filter((p) => !plan.unrouted.includes(p)),
    edits: { [draft.to]: { message: draft.message, attachments: plan.unrouted } },
    draft: { id: draft.id, to: draft.to },
  };
}
