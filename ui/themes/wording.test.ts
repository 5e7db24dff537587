import { describe, expect, it } from "vitest";
import { catalog } from "../src/i18n/ja.ts";
import { applyWording, fill } from "../src/i18n/wording.ts";
import { checkTheme } from "./theme.ts";
import { loadTheme } from "./vite-plugin.ts";
import { catalogEntries, checkMessages, compileMessages, parameterNames } from "./wording.ts";

/** The catalog as a build with theme `id` shows it. */
function builtCatalog(id: string) {
  return applyWording(catalog, compileMessages(loadTheme(id).theme.messages ?? {}));
}

function lookUp(source: object, path: string): unknown {
  return path.split(".").reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], source);
}

describe("the catalog", () => {
  const functions = [...catalogEntries()].flatMap(([path, entry]) => (entry.kind === "function" ? [{ path, params: entry.params }] : []));

  it("has function entries, each with plainly named parameters", () => {
    expect(functions.length).toBeGreaterThan(30);
    expect(functions.find((f) => f.path === "app.officeLabel")?.params).toEqual(["name", "number"]);
    for (const { path, params } of functions) expect(new Set(params).size, path).toBe(params.length);
  });

  it("says each function entry as a template of its values, which a vendor's template can therefore replace", () => {
    for (const { path, params } of functions) {
      const fn = lookUp(catalog, path) as (...values: unknown[]) => string;
      const template = fn(...params.map((p) => `{${p}}`));
      for (const p of params) expect(template, `${path} uses {${p}}`).toContain(`{${p}}`);
      const values = params.map((_, i) => `値${i}`);
      expect(fill(compileMessages({ [path]: template })[path], values), path).toBe(fn(...values));
    }
  });
});

describe("parameterNames", () => {
  it("reads plain parameters and refuses anything else", () => {
    expect(parameterNames((a: string, b: number) => `${a}${b}`)).toEqual(["a", "b"]);
    expect(parameterNames((single: string) => single)).toEqual(["single"]);
    expect(parameterNames(() => "")).toEqual([]);
    expect(() => parameterNames(({ a }: { a: string }) => a)).toThrow(/not a plain name/);
    expect(() => parameterNames(function named(a: string) { return a; })).toThrow(/not an arrow function/);
    expect(() => parameterNames((a = "x") => a)).toThrow(/not a plain name/);
  });
});

describe("a theme's messages", () => {
  it("accept the sample vendor's", () => {
    expect(checkMessages(loadTheme("aozora").theme.messages)).toEqual([]);
  });

  it("refuse what is not an object", () => {
    expect(checkMessages(["support.heading"])).toEqual(['messages は { "画面.項目": "文言" } の形のオブジェクトで書いてください。']);
  });

  it("refuse an entry the catalog does not have, a text that is not one, and placeholders the entry has not", () => {
    expect(
      checkMessages({
        "support.headline": "窓口",
        "support.heading": 3,
        "login.stage1": " ",
        "login.next": "{step}へ",
        "app.officeLabel": "{name}（{numbr}）",
      }),
    ).toEqual([
      "messages の「support.headline」は画面の文言にない項目です。ui/src/i18n/ja.ts の項目名（例: support.heading）で書いてください。",
      "messages の「support.heading」は空でない文字列で書いてください。",
      "messages の「login.stage1」は空でない文字列で書いてください。",
      "messages の「login.next」の {step} は使えません。この項目には差し込む値がありません。",
      "messages の「app.officeLabel」の {numbr} は使えません。使えるのは {name}、{number} です。",
    ]);
  });

  it("refuse a group of entries instead of one entry", () => {
    expect(checkMessages({ support: "窓口" })).toEqual([
      "messages の「support」は画面の文言にない項目です。ui/src/i18n/ja.ts の項目名（例: support.heading）で書いてください。",
    ]);
  });

  it("stop the theme check like its other problems", () => {
    const theme = structuredClone(loadTheme("default").theme) as unknown as Record<string, unknown>;
    theme.messages = { "login.stage0": "ログイン" };
    expect(checkTheme(theme, () => true)).toEqual({
      ok: false,
      errors: ["messages の「login.stage0」は画面の文言にない項目です。ui/src/i18n/ja.ts の項目名（例: support.heading）で書いてください。"],
    });
  });

  it("may leave out some of a function's values and give them in another order", () => {
    const compiled = compileMessages({ "app.officeLabel": "事業所番号 {number}：{name}", "top.unfetched": "未取得があります" });
    expect(compiled).toEqual({ "app.officeLabel": "事業所番号 {1}：{0}", "top.unfetched": "未取得があります" });
    const worded = applyWording(catalog, compiled);
    expect(worded.app.officeLabel("ひまわり", "1370000026")).toBe("事業所番号 1370000026：ひまわり");
    expect(worded.top.unfetched(3)).toBe("未取得があります");
  });
});

describe("the built catalog", () => {
  it("uses the sample vendor's wording, and the catalog's everywhere else", () => {
    const worded = builtCatalog("aozora");
    expect(worded.support.heading).toBe("サポートのご案内");
    expect(worded.support.phoneLine("0120-000-123", "平日 9:00〜18:00")).toBe("フリーダイヤル 0120-000-123（受付 平日 9:00〜18:00）");
    expect(worded.support.webLine("https://example.jp/")).toBe(catalog.support.webLine("https://example.jp/"));
    expect(worded.login.stage1).toBe(catalog.login.stage1);
    expect(worded.list.category.register).toBe("登録");
  });

  it("is the catalog itself with the default theme", () => {
    expect(loadTheme("default").theme.messages).toBeUndefined();
    const worded = builtCatalog("default");
    expect(worded.support.heading).toBe("お問い合わせ");
    expect(worded.support.phoneLine("0120-000-000", "平日")).toBe("電話: 0120-000-000（平日）");
  });
});
