// Finds Japanese text in source code: what the screens show belongs in the catalog
// (ui/src/i18n/ja.ts). The source is parsed (Vite's own parser, oxc), so text in comments is not
// text on screen and is left alone; string literals, template literals, regular expressions and
// JSX text are searched.
import { parseSync } from "vite";

/** Hiragana, katakana, kanji, Japanese punctuation (「」、。・～…) and full-width forms (（）：！). */
const JAPANESE = /[\u3000-\u303f\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/;

export type Finding = { line: number; text: string };

type Node = { type?: string; start?: number; value?: unknown; raw?: string; regex?: { pattern: string } };

/** Each piece of Japanese text in `source` (a .ts or .tsx file, named for its language), with its line. */
export function findJapanese(fileName: string, source: string): Finding[] {
  const parsed = parseSync(fileName, source);
  if (parsed.errors.length > 0) {
    return [{ line: 0, text: `cannot be parsed: ${parsed.errors[0].message}` }];
  }
  const findings: Finding[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const text = shownText(node as Node);
    if (text !== null && JAPANESE.test(text)) findings.push({ line: lineAt(source, (node as Node).start ?? 0), text: text.trim() });
    Object.values(node).forEach(visit);
  };
  visit(parsed.program);
  return findings;
}

function shownText(node: Node): string | null {
  switch (node.type) {
    case "Literal":
      return typeof node.value === "string" ? node.value : (node.regex?.pattern ?? null);
    case "TemplateElement":
      return (node.value as { raw: string }).raw;
    case "JSXText":
      return String(node.value);
    default:
      return null;
  }
}

function lineAt(source: string, offset: number): number {
  return source.slice(0, offset).split("\n").length;
}
