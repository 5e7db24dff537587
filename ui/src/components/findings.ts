// Diagnostics as people read them: the same finding on many records (a wrong time on every line of
// a 第6表) is one line with its count, not a screenful.
import type { ApiDiagnostic } from "../bindings/ApiDiagnostic";
import { ja } from "../i18n";

export type Finding = { key: string; text: string; severity: string };

/** How many lines a merged finding names before "ほか". */
const LINES_SHOWN = 3;

/**
 * One line per rule and item of a file, in the order first found: its first message, where it is
 * (up to three lines) and how often it happened. `suppressed`: findings the validator left out,
 * counted with the rest.
 */
export function mergeFindings(diagnostics: ApiDiagnostic[], suppressed = 0): Finding[] {
  const groups = new Map<string, ApiDiagnostic[]>();
  for (const d of diagnostics) {
    const key = `${d.file ?? ""}|${d.code}|${d.item_no ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  const merged = [...groups.entries()];
  return merged.map(([key, found], index) => {
    const first = found[0];
    // What the validator left out is of the rules it repeated most: counted with the last group.
    const count = found.length + (index === merged.length - 1 ? suppressed : 0);
    const lines = [...new Set(found.map((d) => d.line).filter((l): l is number => l !== null && l !== undefined))];
    let text: string;
    if (count === 1) text = first.line ? ja.compose.atLine(first.line, first.message) : first.message;
    else if (lines.length > 0) text = ja.compose.atLines(lines.slice(0, LINES_SHOWN).join(ja.compose.lineSeparator), count, first.message);
    else text = ja.compose.repeated(count, first.message);
    return { key, text, severity: first.severity };
  });
}
