// Builds the app with one theme: `vite build --mode <id>` uses ui/themes/<id>/ (Vite's own
// modes production, development and test use the default theme). The theme is checked first; a
// broken one stops the build with every problem listed.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "vite";
import { checkBaseConfig, checkVendorFolder, readJson, TAURI_DIR } from "./packaging.ts";
import { checkTheme, themeCss, type Theme } from "./theme.ts";
import { compileMessages } from "./wording.ts";

const THEMES_DIR = dirname(fileURLToPath(import.meta.url));
const VITE_MODES = ["production", "development", "test"];

const BRANDING_ID = "virtual:careplan-theme";
const CSS_ID = "virtual:careplan-theme.css";

export function themeIdForMode(mode: string): string {
  return VITE_MODES.includes(mode) ? "default" : mode;
}

/** Reads and checks ui/themes/<id>/theme.json; throws with every problem found. */
export function loadTheme(id: string): { theme: Theme; dir: string } {
  const dir = join(THEMES_DIR, id);
  const file = join(dir, "theme.json");
  if (!/^[a-z0-9-]+$/.test(id) || !existsSync(file)) {
    throw new Error(`テーマ「${id}」がありません（${file}）。ui/themes/<id>/theme.json を作ってください。`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file} を JSON として読めません: ${(error as Error).message}`);
  }
  const check = checkTheme(
    parsed,
    (name) => existsSync(join(dir, name)),
    (name) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), "utf8") : null),
  );
  if (!check.ok) {
    throw new Error(
      `テーマ「${id}」に誤りがあります（${file}）:\n${check.errors.map((e) => `  - ${e}`).join("\n")}`,
    );
  }
  return { theme: check.theme, dir };
}

/**
 * `loadTheme`, and the installer configuration that goes with it: the product's own for the
 * default theme, the vendor's overlay for any other.
 */
export function loadThemeForBuild(id: string): { theme: Theme; dir: string } {
  const loaded = loadTheme(id);
  const errors =
    id === "default"
      ? checkBaseConfig(
          readJson(join(TAURI_DIR, "tauri.conf.json")),
          readJson(join(TAURI_DIR, "tauri.linux.conf.json")),
          loaded.theme,
        )
      : checkVendorFolder(id, loaded.theme);
  if (errors.length > 0) {
    throw new Error(
      `テーマ「${id}」のインストーラー設定に誤りがあります:\n${errors.map((e) => `  - ${e}`).join("\n")}`,
    );
  }
  return loaded;
}

export function careplanTheme(): Plugin {
  let loaded: { theme: Theme; dir: string };
  return {
    name: "careplan-theme",
    configResolved(config) {
      loaded = loadThemeForBuild(themeIdForMode(config.mode));
    },
    resolveId(id) {
      return id === BRANDING_ID || id === CSS_ID ? `\0${id}` : null;
    },
    load(id) {
      if (id === `\0${CSS_ID}`) {
        this.addWatchFile(join(loaded.dir, "theme.json"));
        return themeCss(loaded.theme);
      }
      if (id === `\0${BRANDING_ID}`) {
        const { productName, support } = loaded.theme;
        const wording = compileMessages(loaded.theme.messages ?? {});
        const preset = loaded.theme.relay;
        if (preset) this.addWatchFile(join(loaded.dir, preset.caFile));
        const relay = preset ? { url: preset.url, caPem: readFileSync(join(loaded.dir, preset.caFile), "utf8"), portalUrl: preset.portalUrl } : undefined;
        const logo = JSON.stringify(`${join(loaded.dir, loaded.theme.logo)}?url`);
        return [
          `import logoUrl from ${logo};`,
          `export default ${JSON.stringify({ productName, support, wording, relay })};`,
          `export { logoUrl };`,
        ].join("\n");
      }
      return null;
    },
    transformIndexHtml(html) {
      return html.replace(/<title>.*<\/title>/, `<title>${escapeHtml(loaded.theme.productName)}</title>`);
    },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
