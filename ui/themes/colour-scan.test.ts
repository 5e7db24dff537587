import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { sourceFiles } from "../checks/source-files.ts";
import { findHardCodedColours } from "./colour-scan.ts";

const SRC = join(import.meta.dirname, "..", "src");

/** The screens' own source: everything under ui/src but the tests. */
const screenSources = () =>
  sourceFiles(SRC, (path) => /\.(css|tsx?)$/.test(path) && !/\.test\.tsx?$/.test(path), (folder) => folder !== "test");

describe("colours in the screens", () => {
  it("come only from the theme's variables", () => {
    const files = screenSources();
    expect(files.length).toBeGreaterThan(20);
    const offences = files.flatMap((file) =>
      findHardCodedColours(readFileSync(file, "utf8")).map(
        (hit) => `${relative(SRC, file)}:${hit.line}: ${hit.text}`,
      ),
    );
    expect(offences).toEqual([]);
  });
});

describe("findHardCodedColours", () => {
  it("finds hex colours, colour functions and colour names in CSS", () => {
    const css = [
      ".a { color: #fff; }",
      ".b { background: rgb(0, 0, 0); }",
      ".c { border: 1px solid navy; }",
      ".d { box-shadow: 0 0 2px hsla(0, 0%, 0%, 0.3); }",
    ].join("\n");
    expect(findHardCodedColours(css)).toEqual([
      { line: 1, text: "#fff" },
      { line: 2, text: "rgb(" },
      { line: 3, text: "navy" },
      { line: 4, text: "hsla(" },
    ]);
  });

  it("finds colours in React style props", () => {
    const tsx = 'const x = <div style={{ backgroundColor: "tomato", color: "#123456" }} />;';
    expect(findHardCodedColours(tsx).map((hit) => hit.text).sort()).toEqual(["#123456", "tomato"]);
  });

  it("accepts theme variables, keywords, comments and words that are not colours", () => {
    const source = [
      "/* unfetched rows are pale green */",
      ".a { color: var(--color-text); background: transparent; border-color: currentColor; }",
      "// a red herring in a comment",
      'const label = "tan"; // not a style',
      ".b { display: flex; }",
    ].join("\n");
    expect(findHardCodedColours(source)).toEqual([]);
  });
});
