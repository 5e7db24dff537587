import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkTheme, COLOR_KEYS, contrastRatio, themeCss } from "./theme.ts";
import { careplanTheme, loadTheme, themeIdForMode } from "./vite-plugin.ts";

const THEMES = readdirSync(import.meta.dirname, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/** theme.json as a vendor may get it wrong: any key, any value (checkTheme takes `unknown`). */
type BrokenTheme = Record<string, unknown> & { colors: Record<string, unknown>; support: Record<string, unknown> };

/** A theme that passes, to break one thing at a time. */
function goodTheme() {
  return structuredClone(loadTheme("default").theme) as unknown as BrokenTheme;
}

const logoExists = (name: string) => name === "logo.png";

function errorsOf(theme: unknown): string[] {
  const check = checkTheme(theme, logoExists);
  return check.ok ? [] : check.errors;
}

describe("the shipped themes", () => {
  it("are the default and at least one vendor's", () => {
    expect(THEMES).toContain("default");
    expect(THEMES.length).toBeGreaterThanOrEqual(2);
  });

  it.each(THEMES)("%s passes the check", (id) => {
    expect(() => loadTheme(id)).not.toThrow();
  });

  it("the sample vendor looks clearly different from the default", () => {
    const base = loadTheme("default").theme;
    const vendor = loadTheme("aozora").theme;
    expect(vendor.productName).not.toBe(base.productName);
    expect(vendor.support.phone).not.toBe(base.support.phone);
    for (const key of ["primary", "background", "practice", "selectedRow"] as const) {
      expect(vendor.colors[key]).not.toBe(base.colors[key]);
    }
  });
});

describe("checkTheme", () => {
  it("accepts a complete theme", () => {
    expect(checkTheme(goodTheme(), logoExists)).toMatchObject({ ok: true });
  });

  it("refuses what is not an object", () => {
    expect(errorsOf([])).toEqual(["theme.json の中身がオブジェクト（{ … }）ではありません。"]);
  });

  it("names each missing key", () => {
    const theme = goodTheme();
    delete theme.productName;
    delete theme.colors.primary;
    delete theme.support.phone;
    expect(errorsOf(theme)).toEqual([
      "productName がありません。",
      "support.phone がありません。",
      "colors.primary がありません。",
    ]);
  });

  it("refuses a theme without colours or support", () => {
    const theme = goodTheme();
    const loose: Record<string, unknown> = theme;
    delete loose.colors;
    delete loose.support;
    const errors = errorsOf(theme);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain("support がありません");
    expect(errors[1]).toContain("colors がありません");
  });

  it("refuses empty texts", () => {
    const theme = goodTheme();
    theme.name = " ";
    expect(errorsOf(theme)).toEqual(["name は空でない文字列で書いてください。"]);
  });

  it("refuses a misspelt key, which would otherwise be ignored", () => {
    const theme = goodTheme();
    theme.colors.primery = "#123456";
    theme.suport = {};
    expect(errorsOf(theme)).toEqual([
      "suport は使われないキーです。綴りを確認してください。",
      "colors.primery は使われないキーです。綴りを確認してください。",
    ]);
  });

  it.each(["red", "#12345", "#12345g", "rgb(0,0,0)", "", 12])("refuses the colour %j", (bad) => {
    const theme = goodTheme();
    theme.colors.surface = bad;
    const errors = errorsOf(theme);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^colors\.surface の「.*」は色として読めません。#1a2b3c か #abc の形で書いてください。$/);
  });

  it("accepts the short colour form", () => {
    const theme = goodTheme();
    theme.colors.surface = "#fff";
    expect(errorsOf(theme)).toEqual([]);
  });

  it("refuses text that is hard to read on its background (WCAG AA 4.5:1)", () => {
    const theme = goodTheme();
    theme.colors.primaryText = "#ffffff";
    theme.colors.primary = "#7fb89d"; // pale green: white on it is about 2.1:1
    const errors = errorsOf(theme);
    expect(errors).toContainEqual(
      expect.stringMatching(
        /^ボタン・ヘッダーの文字のコントラストが足りません: colors\.primaryText（#ffffff）と colors\.primary（#7fb89d）は 2\.\d\d:1 です。WCAG AA の 4\.5:1 以上にしてください。$/,
      ),
    );
  });

  it("checks a focus ring against 3:1 (WCAG AA for non-text)", () => {
    const theme = goodTheme();
    theme.colors.focus = "#f2a900"; // amber: 2.0:1 on white
    const errors = errorsOf(theme);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.startsWith("フォーカス枠のコントラストが足りません") && e.includes("3:1 以上"))).toBe(true);
  });

  it("passes a pair exactly at the limit and fails one just below", () => {
    // #767676 on white is 4.54:1, the palest grey that passes; #777777 is 4.48:1.
    expect(contrastRatio("#767676", "#ffffff")).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio("#777777", "#ffffff")).toBeLessThan(4.5);
    const theme = goodTheme();
    theme.colors.background = "#ffffff";
    theme.colors.muted = "#767676";
    expect(errorsOf(theme)).toEqual([]);
    theme.colors.muted = "#777777";
    expect(errorsOf(theme)).toEqual([
      expect.stringContaining("補足の文字のコントラストが足りません: colors.muted（#777777）と colors.background（#ffffff）は 4.48:1"),
      expect.stringContaining("タブ・補足の文字のコントラストが足りません: colors.muted（#777777）と colors.surface（#ffffff）は 4.48:1"),
    ]);
  });

  it("refuses a phone number or URL a user could not use", () => {
    const theme = goodTheme();
    theme.support.phone = "お電話ください";
    theme.support.url = "http://example.jp/";
    expect(errorsOf(theme)).toEqual([
      "support.phone の「お電話ください」は電話番号として読めません。0120-123-456 のようにハイフン区切りで書いてください。",
      "support.url の「http://example.jp/」は https:// で始まる URL ではありません。",
    ]);
  });

  it("refuses a logo that is missing or not an image", () => {
    const theme = goodTheme();
    theme.logo = "brand.svg";
    expect(errorsOf(theme)).toEqual(["logo のファイル「brand.svg」が theme.json と同じフォルダにありません。"]);
    theme.logo = "../secret.txt";
    expect(errorsOf(theme)).toEqual([
      "logo の「../secret.txt」は theme.json と同じフォルダの .svg か .png のファイル名で書いてください。",
    ]);
  });

  it("refuses a font that is not a font-family text", () => {
    const theme = goodTheme();
    theme.font = ["Meiryo"];
    expect(errorsOf(theme)).toEqual([
      "font は CSS の font-family の文字列で書いてください（不要なら font ごと消してください）。",
    ]);
  });

  it("lists every problem at once", () => {
    const theme = goodTheme();
    theme.colors.text = "black";
    theme.support.url = "support";
    delete theme.logo;
    expect(errorsOf(theme)).toHaveLength(3);
  });
});

describe("the relay a vendor's build presets", () => {
  const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  const files: Record<string, string> = { "logo.png": "", "relay-ca.pem": PEM, "notes.pem": "not a certificate" };
  const relayErrors = (relay: unknown) => {
    const check = checkTheme({ ...goodTheme(), relay }, (name) => name in files, (name) => files[name] ?? null);
    return check.ok ? [] : check.errors;
  };

  it("is an https URL and a PEM certificate next to theme.json", () => {
    expect(relayErrors({ url: "https://relay.example.jp", caFile: "relay-ca.pem" })).toEqual([]);
    expect(relayErrors({ url: "https://relay.example.jp", caFile: "relay-ca.pem", portalUrl: "https://portal.example.jp" })).toEqual([]);
  });

  it("refuses a plain http URL, a CA file that is not there or not PEM, and a path outside the theme's folder", () => {
    expect(relayErrors({ url: "http://relay.example.jp", caFile: "relay-ca.pem" })).toEqual([expect.stringContaining("https://")]);
    expect(relayErrors({ url: "https://relay.example.jp", caFile: "missing.pem" })).toEqual([expect.stringContaining("ありません")]);
    expect(relayErrors({ url: "https://relay.example.jp", caFile: "notes.pem" })).toEqual([expect.stringContaining("PEM 形式")]);
    expect(relayErrors({ url: "https://relay.example.jp", caFile: "../relay-ca.pem" })).toEqual([expect.stringContaining("同じフォルダ")]);
    expect(relayErrors({ url: "https://relay.example.jp", caFile: "relay-ca.pem", portalUrl: "http://portal.example.jp" })).toEqual([expect.stringContaining("relay.portalUrl")]);
  });

  it("refuses a preset that is not an object, or has keys it does not know", () => {
    expect(relayErrors("https://relay.example.jp")).toEqual([expect.stringContaining("relay は")]);
    expect(relayErrors({ url: "https://relay.example.jp", caFile: "relay-ca.pem", password: "x" })).toHaveLength(1);
  });
});

describe("the build", () => {
  it("uses the default theme for Vite's own modes and the named theme otherwise", () => {
    expect(themeIdForMode("production")).toBe("default");
    expect(themeIdForMode("test")).toBe("default");
    expect(themeIdForMode("aozora")).toBe("aozora");
  });

  it("stops on a theme that does not exist, naming the file to create", () => {
    expect(() => loadTheme("no-such-vendor")).toThrow(/テーマ「no-such-vendor」がありません（.*no-such-vendor\/theme\.json）/);
    expect(() => loadTheme("../default")).toThrow(/テーマ「\.\.\/default」がありません/);
  });

  it("turns every colour into the CSS variable the components use", () => {
    const { theme } = loadTheme("aozora");
    const css = themeCss(theme);
    expect(css).toContain("--color-primary-text: #ffffff;");
    expect(css).toContain("--color-unfetched-row: #e4f5dc;");
    expect(css).toContain('--font-family: "BIZ UDPGothic"');
    expect(css.match(/--color-/g)).toHaveLength(COLOR_KEYS.length);
    expect(themeCss(loadTheme("default").theme)).toContain('--font-family: "Noto Sans CJK JP"');
  });

  it("hands the vendor's wording to the app, its values numbered", () => {
    const plugin = careplanTheme() as unknown as {
      configResolved: (config: { mode: string }) => void;
      load: (this: { addWatchFile: (file: string) => void }, id: string) => string;
    };
    plugin.configResolved({ mode: "aozora" });
    const module = plugin.load.call({ addWatchFile: () => undefined }, "\0virtual:careplan-theme");
    const branding = JSON.parse(/^export default (.*);$/m.exec(module)![1]);
    expect(branding.wording).toEqual({ "support.heading": "サポートのご案内", "support.phoneLine": "フリーダイヤル {0}（受付 {1}）" });
  });
});
