import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { findJapanese } from "./japanese-scan.ts";
import { sourceFiles } from "./source-files.ts";

const SRC = join(import.meta.dirname, "..", "src");

/**
 * The code of the screens: every .ts and .tsx under ui/src except
 * - i18n/ja.ts and i18n/forms.ts, the catalog (the forms' words are its `forms` part), where the
 *   Japanese belongs;
 * - tests and test/ (their fake relay answers, and what they expect to read on screen);
 * - bindings/, generated from the Rust types (Japanese only in comments);
 * and no JSON: the tutorial's chapters (tutorial/chapters.json) are data a trainer edits, like a
 * theme, not text of the screens' code (docs/tutorial.md).
 */
const CATALOG = ["i18n/ja.ts", "i18n/forms.ts"];

const screenSources = () =>
  sourceFiles(
    SRC,
    (path) => /\.tsx?$/.test(path) && !/\.test\.tsx?$/.test(path) && !CATALOG.includes(path),
    (folder) => folder !== "test" && folder !== "bindings",
  );

describe("Japanese in the screens' code", () => {
  it("is only in the catalog", () => {
    const files = screenSources();
    expect(files.length).toBeGreaterThan(25);
    for (const part of CATALOG) expect(files.map((f) => relative(SRC, f))).not.toContain(join(...part.split("/")));
    const offences = files.flatMap((file) =>
      findJapanese(file, readFileSync(file, "utf8")).map((hit) => `${relative(SRC, file)}:${hit.line}: ${hit.text}`),
    );
    expect(offences).toEqual([]);
  });
});

describe("findJapanese", () => {
  it("finds a sentence planted in a string, a template, a regular expression, JSX text and an attribute", () => {
    const source = [
      "// コメントは画面に出ない",
      'const a = "送信しました";',
      "const b = `${n}行目: ${m}`;",
      "const c = /取得済み/;",
      "const d = <p>",
      "  {name}（{kind}）",
      "</p>;",
      'const e = <span aria-label="問題なし">o</span>;',
      "/* ブロックのコメントも */ const f = 'plain';",
    ].join("\n");
    expect(findJapanese("planted.tsx", source)).toEqual([
      { line: 2, text: "送信しました" },
      { line: 3, text: "行目:" },
      { line: 4, text: "取得済み" },
      { line: 6, text: "（" },
      { line: 6, text: "）" },
      { line: 8, text: "問題なし" },
    ]);
  });

  it("finds full-width punctuation alone, which also makes a sentence Japanese", () => {
    expect(findJapanese("a.ts", 'const x = `${a}：${b}`;')).toEqual([{ line: 1, text: "：" }]);
  });

  it("accepts code without Japanese text", () => {
    expect(findJapanese("a.tsx", 'const x = <p className="muted">{ja.app.loading}</p>; // 読み込み中')).toEqual([]);
  });

  it("reports a file it cannot parse instead of passing it", () => {
    expect(findJapanese("broken.ts", "const = ;")).toEqual([{ line: 0, text: expect.stringContaining("cannot be parsed") }]);
  });
});
