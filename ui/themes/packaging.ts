// The installer side of a theme: ui/themes/<id>/tauri.conf.json, the overlay that `tauri build
// --config` merges over src-tauri/tauri.conf.json. Checked with the theme, because a mistake here
// is only seen on the users' PCs: a changed upgradeCode installs a second copy next to the first,
// a shared identifier mixes two products' settings, a Japanese Debian package name does not install.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Theme } from "./theme.ts";

export const TAURI_DIR = join(import.meta.dirname, "..", "..", "src-tauri");
const THEMES_DIR = import.meta.dirname;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDENTIFIER = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*){2,}$/;
const DEBIAN_PACKAGE = /^[a-z0-9][a-z0-9+.-]+$/;
const BINARY_NAME = /^[a-z0-9][a-z0-9-]*$/;

/**
 * What the checks read of a Tauri configuration file (src-tauri/tauri.conf.json, a vendor's
 * overlay). Any key may be missing: that is what the checks report.
 */
export interface TauriConfig {
  productName?: string;
  identifier?: string;
  mainBinaryName?: string;
  version?: string;
  build?: { beforeBuildCommand?: string };
  bundle?: {
    targets?: string[];
    icon?: string[];
    windows?: { wix?: { upgradeCode?: string; language?: string } };
    linux?: { deb?: { desktopTemplate?: string } };
  };
}

export function readJson(path: string): TauriConfig {
  return JSON.parse(readFileSync(path, "utf8")) as TauriConfig;
}

/**
 * MSI's rules for ProductVersion: major.minor.patch (an optional fourth part is ignored by
 * Windows Installer when upgrading), major and minor at most 255, patch at most 65535, digits only.
 */
export function msiVersionProblem(version: string): string | null {
  const parts = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!parts) {
    return `バージョン「${version}」は MSI に使えません。1.2.3 のように数字3つで書いてください（-beta などは付けられません）。`;
  }
  const [major, minor, patch] = parts.slice(1).map(Number);
  if (major > 255 || minor > 255 || patch > 65535) {
    return `バージョン「${version}」は MSI に使えません。1つ目と2つ目は 255 まで、3つ目は 65535 までです。`;
  }
  return null;
}

/** Problems of the product's own configuration (src-tauri/tauri.conf.json and its Linux overlay). */
export function checkBaseConfig(base: TauriConfig, linux: TauriConfig, defaultTheme: Theme): string[] {
  const errors: string[] = [];
  const wix = base.bundle?.windows?.wix ?? {};
  if (!GUID.test(wix.upgradeCode ?? "")) errors.push("bundle.windows.wix.upgradeCode を GUID で固定してください。");
  if (wix.language !== "ja-JP") errors.push("bundle.windows.wix.language は ja-JP にしてください。");
  const targets: string[] = base.bundle?.targets ?? [];
  for (const target of ["msi", "deb"]) {
    if (!targets.includes(target)) errors.push(`bundle.targets に ${target} がありません。`);
  }
  const version = msiVersionProblem(base.version ?? "");
  if (version) errors.push(version);
  if (base.productName !== defaultTheme.productName) {
    errors.push(`productName「${base.productName}」が標準テーマの productName「${defaultTheme.productName}」と違います。`);
  }
  if (!DEBIAN_PACKAGE.test(linux.productName ?? "")) {
    errors.push(`tauri.linux.conf.json の productName「${linux.productName}」は Debian のパッケージ名に使えません（英小文字・数字・ハイフン）。`);
  }
  return errors;
}

/** Problems of the vendor folder ui/themes/<id>: its overlays, read from disk. */
export function checkVendorFolder(id: string, theme: Theme): string[] {
  const dir = join(THEMES_DIR, id);
  const file = join(dir, "tauri.conf.json");
  if (!existsSync(file)) {
    return [`ui/themes/${id}/tauri.conf.json がありません。製品名・識別子・アイコン・upgradeCode を書いてください。`];
  }
  const linuxFile = join(dir, "tauri.linux.conf.json");
  const linux = existsSync(linuxFile) ? readJson(linuxFile) : null;
  return checkVendorOverlay(id, theme, readJson(file), linux, otherProducts(id), (path) =>
    existsSync(join(TAURI_DIR, path)),
  );
}

/**
 * Problems of a vendor's overlay (tauri.conf.json) and, when the vendor ships a .deb too, its
 * Linux overlay. `others` are the base configuration and the other vendors'; `existsFromTauriDir`
 * answers whether a path written relative to src-tauri exists.
 */
export function checkVendorOverlay(
  id: string,
  theme: Theme,
  overlay: TauriConfig,
  linux: TauriConfig | null,
  others: TauriConfig[],
  existsFromTauriDir: (path: string) => boolean,
): string[] {
  const errors: string[] = [];
  if (overlay.productName !== theme.productName) {
    errors.push(`tauri.conf.json の productName「${overlay.productName}」が theme.json の productName「${theme.productName}」と違います。`);
  }
  const identifier: string = overlay.identifier ?? "";
  if (!IDENTIFIER.test(identifier)) {
    errors.push(`identifier「${identifier}」は jp.example.vendor.careplan のような逆ドメイン名で書いてください。`);
  } else if (others.some((other) => other.identifier === identifier)) {
    errors.push(`identifier「${identifier}」は別の製品と同じです。設定の保存先が混ざるので、自社のものにしてください。`);
  }
  const upgradeCode: string = overlay.bundle?.windows?.wix?.upgradeCode ?? "";
  if (!GUID.test(upgradeCode)) {
    errors.push("bundle.windows.wix.upgradeCode に自社製品用の GUID を書いてください（一度決めたら変えないこと）。");
  } else if (others.some((other) => other.bundle?.windows?.wix?.upgradeCode?.toLowerCase() === upgradeCode.toLowerCase())) {
    errors.push(`upgradeCode「${upgradeCode}」は別の製品と同じです。上書きインストールされてしまうので、新しい GUID にしてください。`);
  }
  if (!BINARY_NAME.test(overlay.mainBinaryName ?? "")) {
    errors.push(`mainBinaryName「${overlay.mainBinaryName}」は英小文字・数字・ハイフンで書いてください（exe の名前になります）。`);
  }
  if (!String(overlay.build?.beforeBuildCommand ?? "").endsWith(`--mode ${id}`)) {
    errors.push(`build.beforeBuildCommand を「npm run build --workspace ui -- --mode ${id}」にしてください（画面がこのテーマで作られます）。`);
  }
  const icons: string[] = overlay.bundle?.icon ?? [];
  if (!icons.some((icon) => icon.endsWith(".ico"))) errors.push("bundle.icon に Windows 用の .ico がありません。");
  for (const icon of icons) {
    if (!existsFromTauriDir(icon)) errors.push(`アイコン「${icon}」がありません（src-tauri から見た場所で書きます）。`);
  }
  if (linux) {
    if (!DEBIAN_PACKAGE.test(linux.productName ?? "")) {
      errors.push(`tauri.linux.conf.json の productName「${linux.productName}」は Debian のパッケージ名に使えません（英小文字・数字・ハイフン）。`);
    }
    const template = linux.bundle?.linux?.deb?.desktopTemplate;
    if (template && !existsFromTauriDir(template)) {
      errors.push(`desktopTemplate「${template}」がありません（src-tauri から見た場所で書きます）。`);
    }
  }
  return errors;
}

/** Every theme folder but `id` that has an overlay, read: another product's identity. */
export function otherProducts(id: string): TauriConfig[] {
  const base = readJson(join(TAURI_DIR, "tauri.conf.json"));
  const vendors = readdirThemes()
    .filter((other) => other !== id && existsSync(join(THEMES_DIR, other, "tauri.conf.json")))
    .map((other) => readJson(join(THEMES_DIR, other, "tauri.conf.json")));
  return [base, ...vendors];
}

/** The folders under ui/themes that hold a theme.json. */
export function readdirThemes(): string[] {
  return readdirSync(THEMES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(THEMES_DIR, entry.name, "theme.json")))
    .map((entry) => entry.name);
}
