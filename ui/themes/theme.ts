// A vendor theme: the colours, wording and contacts that differ between branded builds of the app.
// Themes are data (ui/themes/<id>/theme.json); this module reads one, refuses a broken one with
// messages a vendor can act on, and turns it into the CSS variables the components use.

import { checkMessages } from "./wording.ts";

/** The semantic colours every component draws with (as CSS variables `--color-<kebab-name>`). */
export const COLOR_KEYS = [
  "background",
  "surface",
  "text",
  "muted",
  "border",
  "primary",
  "primaryText",
  "focus",
  "unfetchedRow",
  "selectedRow",
  "danger",
  "dangerSurface",
  "warning",
  "warningSurface",
  "successSurface",
  "practice",
  "practiceText",
] as const;

export type ColorKey = (typeof COLOR_KEYS)[number];

export interface Theme {
  /** What the theme is called in the vendor's own lists. */
  name: string;
  /** The name users see: window title, header, installer. Must match the Tauri overlay's. */
  productName: string;
  support: {
    /** Who answers, e.g. 「あおぞらソフト サポートセンター」. */
    name: string;
    phone: string;
    url: string;
    hours: string;
  };
  /** A CSS font-family list; the default Japanese fonts when absent. */
  font?: string;
  /** The logo's file name next to theme.json (SVG or PNG). */
  logo: string;
  colors: Record<ColorKey, string>;
  /** The vendor's wording for catalog entries, by dotted path (wording.ts); optional. */
  messages?: Record<string, string>;
  /**
   * The relay the vendor's build connects to, preset so that office staff never type it: its URL
   * and its CA certificate (a PEM file next to theme.json). Optional; 設定 takes it on a PC that has
   * no relay yet and keeps it under 詳細設定.
   */
  relay?: { url: string; caFile: string; portalUrl?: string };
}

export const DEFAULT_FONT =
  '"Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic UI", "Meiryo", sans-serif';

/** WCAG 2.x AA: normal text needs 4.5:1; focus rings and other non-text parts need 3:1. */
const TEXT_CONTRAST = 4.5;
const NON_TEXT_CONTRAST = 3;

/** Every foreground the screens draw on a background, with what it is (for the message). */
const CONTRAST_PAIRS: { fg: ColorKey; bg: ColorKey; min: number; what: string }[] = [
  { fg: "text", bg: "background", min: TEXT_CONTRAST, what: "本文" },
  { fg: "text", bg: "surface", min: TEXT_CONTRAST, what: "パネル・表の文字" },
  { fg: "muted", bg: "background", min: TEXT_CONTRAST, what: "補足の文字" },
  { fg: "muted", bg: "surface", min: TEXT_CONTRAST, what: "タブ・補足の文字" },
  { fg: "primaryText", bg: "primary", min: TEXT_CONTRAST, what: "ボタン・ヘッダーの文字" },
  { fg: "primary", bg: "surface", min: TEXT_CONTRAST, what: "リンクの文字" },
  { fg: "danger", bg: "dangerSurface", min: TEXT_CONTRAST, what: "エラー表示の文字" },
  { fg: "danger", bg: "surface", min: TEXT_CONTRAST, what: "ファイル検査の NG の文字" },
  { fg: "warning", bg: "warningSurface", min: TEXT_CONTRAST, what: "注意表示の文字" },
  { fg: "text", bg: "successSurface", min: TEXT_CONTRAST, what: "成功表示の文字" },
  { fg: "text", bg: "unfetchedRow", min: TEXT_CONTRAST, what: "未取得の行の文字" },
  { fg: "text", bg: "selectedRow", min: TEXT_CONTRAST, what: "選択した行の文字" },
  { fg: "practiceText", bg: "practice", min: TEXT_CONTRAST, what: "練習モードの帯の文字" },
  { fg: "focus", bg: "background", min: NON_TEXT_CONTRAST, what: "フォーカス枠" },
  { fg: "focus", bg: "surface", min: NON_TEXT_CONTRAST, what: "フォーカス枠" },
  { fg: "primary", bg: "background", min: NON_TEXT_CONTRAST, what: "選択中のタブの下線" },
];

const HEX_COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const PHONE = /^0\d{1,4}-\d{1,4}-\d{3,4}$/;
const LOGO_FILE = /^[A-Za-z0-9_-]+\.(?:svg|png)$/;
const CA_FILE = /^[A-Za-z0-9_-]+\.(?:pem|crt)$/;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/;

/** The theme, or every problem found in it (all at once, so a vendor fixes them in one go). */
export type ThemeCheck = { ok: true; theme: Theme } | { ok: false; errors: string[] };

/**
 * Checks a parsed theme.json. `fileExists` answers whether a file next to theme.json exists (the
 * logo); it is a parameter so the check runs the same in the build and in tests.
 */
export function checkTheme(
  input: unknown,
  fileExists: (name: string) => boolean,
  readText: (name: string) => string | null = () => null,
): ThemeCheck {
  const errors: string[] = [];
  if (!isObject(input)) {
    return { ok: false, errors: ["theme.json の中身がオブジェクト（{ … }）ではありません。"] };
  }
  const known = ["name", "productName", "support", "font", "logo", "colors", "messages", "relay"];
  unknownKeys(input, known, "", errors);
  requireText(input, "name", "", errors);
  requireText(input, "productName", "", errors);

  const support = input.support;
  if (!isObject(support)) {
    errors.push("support がありません。サポート窓口の name, phone, url, hours を書いてください。");
  } else {
    unknownKeys(support, ["name", "phone", "url", "hours"], "support.", errors);
    requireText(support, "name", "support.", errors);
    requireText(support, "hours", "support.", errors);
    if (requireText(support, "phone", "support.", errors) && !PHONE.test(support.phone as string)) {
      errors.push(
        `support.phone の「${String(support.phone)}」は電話番号として読めません。0120-123-456 のようにハイフン区切りで書いてください。`,
      );
    }
    if (requireText(support, "url", "support.", errors) && !isHttpsUrl(support.url as string)) {
      errors.push(
        `support.url の「${String(support.url)}」は https:// で始まる URL ではありません。`,
      );
    }
  }

  if ("font" in input && (typeof input.font !== "string" || input.font.trim() === "")) {
    errors.push("font は CSS の font-family の文字列で書いてください（不要なら font ごと消してください）。");
  }

  if (requireText(input, "logo", "", errors)) {
    const logo = input.logo as string;
    if (!LOGO_FILE.test(logo)) {
      errors.push(`logo の「${logo}」は theme.json と同じフォルダの .svg か .png のファイル名で書いてください。`);
    } else if (!fileExists(logo)) {
      errors.push(`logo のファイル「${logo}」が theme.json と同じフォルダにありません。`);
    }
  }

  const colors = input.colors;
  let colorsValid = false;
  if (!isObject(colors)) {
    errors.push(`colors がありません。${COLOR_KEYS.join(", ")} の色を書いてください。`);
  } else {
    unknownKeys(colors, COLOR_KEYS, "colors.", errors);
    colorsValid = true;
    for (const key of COLOR_KEYS) {
      const value = colors[key];
      if (value === undefined) {
        errors.push(`colors.${key} がありません。`);
        colorsValid = false;
      } else if (typeof value !== "string" || !HEX_COLOR.test(value)) {
        errors.push(
          `colors.${key} の「${String(value)}」は色として読めません。#1a2b3c か #abc の形で書いてください。`,
        );
        colorsValid = false;
      }
    }
    if (colorsValid) {
      const valid = colors as Record<ColorKey, string>;
      for (const pair of CONTRAST_PAIRS) {
        const ratio = contrastRatio(valid[pair.fg], valid[pair.bg]);
        if (ratio < pair.min) {
          errors.push(
            `${pair.what}のコントラストが足りません: colors.${pair.fg}（${valid[pair.fg]}）と colors.${pair.bg}（${valid[pair.bg]}）は ${ratio.toFixed(2)}:1 です。WCAG AA の ${pair.min}:1 以上にしてください。`,
          );
        }
      }
    }
  }

  if ("messages" in input) errors.push(...checkMessages(input.messages));
  if ("relay" in input) errors.push(...checkRelay(input.relay, fileExists, readText));

  return errors.length === 0 ? { ok: true, theme: input as unknown as Theme } : { ok: false, errors };
}

/** The optional relay preset: an https URL, a CA certificate in PEM next to theme.json, and the portal's https URL when it is elsewhere. */
function checkRelay(relay: unknown, fileExists: (name: string) => boolean, readText: (name: string) => string | null): string[] {
  const errors: string[] = [];
  if (!isObject(relay)) return ["relay は { \"url\": …, \"caFile\": … } の形で書いてください（不要なら relay ごと消してください）。"];
  unknownKeys(relay, ["url", "caFile", "portalUrl"], "relay.", errors);
  // The portal (利用状況Webサイト), only when the operator serves it elsewhere than on the relay's host.
  if ("portalUrl" in relay && !(typeof relay.portalUrl === "string" && isHttpsUrl(relay.portalUrl))) {
    errors.push(`relay.portalUrl の「${String(relay.portalUrl)}」は https:// で始まる URL ではありません（利用状況Webサイトが接続先と同じホストの 8444 番ポートなら書かないでください）。`);
  }
  if (requireText(relay, "url", "relay.", errors) && !isHttpsUrl(relay.url as string)) {
    errors.push(`relay.url の「${String(relay.url)}」は https:// で始まる URL ではありません。`);
  }
  if (requireText(relay, "caFile", "relay.", errors)) {
    const file = relay.caFile as string;
    if (!CA_FILE.test(file)) {
      errors.push(`relay.caFile の「${file}」は theme.json と同じフォルダの .pem か .crt のファイル名で書いてください。`);
    } else if (!fileExists(file)) {
      errors.push(`relay.caFile のファイル「${file}」が theme.json と同じフォルダにありません。`);
    } else if (!PEM_CERTIFICATE.test(readText(file) ?? "")) {
      errors.push(`relay.caFile の「${file}」は PEM 形式の証明書（-----BEGIN CERTIFICATE----- で始まるもの）ではありません。`);
    }
  }
  return errors;
}

/** The CSS variables of a theme, as the stylesheet the app loads before its own. */
export function themeCss(theme: Theme): string {
  const lines = [`  --font-family: ${theme.font ?? DEFAULT_FONT};`];
  for (const key of COLOR_KEYS) {
    lines.push(`  --color-${kebab(key)}: ${theme.colors[key]};`);
  }
  return `:root {\n${lines.join("\n")}\n}\n`;
}

/** WCAG 2.x contrast ratio of two #rgb / #rrggbb colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [lighter, darker] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (lighter + 0.05) / (darker + 0.05);
}

function luminance(hex: string): number {
  const digits = hex.length === 4 ? [...hex.slice(1)].map((d) => d + d).join("") : hex.slice(1);
  const [r, g, b] = [0, 2, 4].map((i) => {
    const channel = parseInt(digits.slice(i, i + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isHttpsUrl(text: string): boolean {
  try {
    return new URL(text).protocol === "https:";
  } catch {
    return false;
  }
}

/** Records a missing or empty text; answers whether the value is usable. */
function requireText(
  object: Record<string, unknown>,
  key: string,
  prefix: string,
  errors: string[],
): boolean {
  const value = object[key];
  if (value === undefined) {
    errors.push(`${prefix}${key} がありません。`);
    return false;
  }
  if (typeof value !== "string" || value.trim() === "") {
    errors.push(`${prefix}${key} は空でない文字列で書いてください。`);
    return false;
  }
  return true;
}

/** A misspelt key would otherwise be ignored silently and the default shown instead. */
function unknownKeys(
  object: Record<string, unknown>,
  known: readonly string[],
  prefix: string,
  errors: string[],
) {
  for (const key of Object.keys(object)) {
    if (key !== "$schema" && !known.includes(key)) {
      errors.push(`${prefix}${key} は使われないキーです。綴りを確認してください。`);
    }
  }
}
