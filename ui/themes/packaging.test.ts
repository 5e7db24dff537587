import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  checkBaseConfig,
  checkVendorFolder,
  checkVendorOverlay,
  msiVersionProblem,
  otherProducts,
  readdirThemes,
  readJson,
  TAURI_DIR,
  type TauriConfig,
} from "./packaging.ts";
import { loadTheme, loadThemeForBuild } from "./vite-plugin.ts";

/** A shipped file has every key the checks read, so a test can change any of them. */
type Shipped<T> = {
  [K in keyof T]-?: NonNullable<T[K]> extends unknown[] ? NonNullable<T[K]> : NonNullable<T[K]> extends object ? Shipped<NonNullable<T[K]>> : NonNullable<T[K]>;
};
const shipped = (...path: string[]) => readJson(join(...path)) as Shipped<TauriConfig>;

const base = () => shipped(TAURI_DIR, "tauri.conf.json");
const baseLinux = () => shipped(TAURI_DIR, "tauri.linux.conf.json");
const aozora = () => shipped(import.meta.dirname, "aozora", "tauri.conf.json");
const aozoraLinux = () => shipped(import.meta.dirname, "aozora", "tauri.linux.conf.json");
const vendorTheme = () => loadTheme("aozora").theme;
const everythingExists = () => true;

/** The sample vendor's overlay with one change. */
function overlayErrors(change: (overlay: Shipped<TauriConfig>) => void, linux: TauriConfig | null = null) {
  const overlay = aozora();
  change(overlay);
  return checkVendorOverlay("aozora", vendorTheme(), overlay, linux, [base()], everythingExists);
}

describe("the shipped installer configuration", () => {
  it("is fine for the product itself", () => {
    expect(checkBaseConfig(base(), baseLinux(), loadTheme("default").theme)).toEqual([]);
  });

  it.each(readdirThemes().filter((id) => id !== "default"))("is fine for vendor %s", (id) => {
    expect(checkVendorFolder(id, loadTheme(id).theme)).toEqual([]);
    expect(() => loadThemeForBuild(id)).not.toThrow();
  });

  it("gives every product its own identifier and upgradeCode", () => {
    const products = otherProducts("none");
    const identifiers = products.map((p) => p.identifier);
    const codes = products.map((p) => p.bundle?.windows?.wix?.upgradeCode?.toLowerCase());
    expect(products.length).toBeGreaterThanOrEqual(2);
    expect(new Set(identifiers).size).toBe(products.length);
    expect(new Set(codes).size).toBe(products.length);
  });
});

describe("MSI version rules", () => {
  it.each(["0.1.0", "1.2.3", "255.255.65535"])("accepts %s", (version) => {
    expect(msiVersionProblem(version)).toBeNull();
  });

  it.each(["256.0.0", "1.256.0", "1.0.65536"])("refuses %s, past the limits", (version) => {
    expect(msiVersionProblem(version)).toContain("255 まで");
  });

  it.each(["1.0.0-beta", "1.0", "v1.0.0", ""])("refuses %j, not three numbers", (version) => {
    expect(msiVersionProblem(version)).toContain("数字3つ");
  });
});

describe("checkBaseConfig", () => {
  it("refuses a changed upgradeCode form, another language, a missing target", () => {
    const config = base();
    config.bundle.windows.wix.upgradeCode = "not-a-guid";
    config.bundle.windows.wix.language = "en-US";
    config.bundle.targets = ["deb"];
    config.version = "1.0.0-rc1";
    expect(checkBaseConfig(config, baseLinux(), loadTheme("default").theme)).toEqual([
      "bundle.windows.wix.upgradeCode を GUID で固定してください。",
      "bundle.windows.wix.language は ja-JP にしてください。",
      "bundle.targets に msi がありません。",
      expect.stringContaining("バージョン「1.0.0-rc1」は MSI に使えません"),
    ]);
  });

  it("refuses a Debian package name in Japanese", () => {
    expect(checkBaseConfig(base(), { productName: "ケアプランデータ連携" }, loadTheme("default").theme)).toEqual([
      "tauri.linux.conf.json の productName「ケアプランデータ連携」は Debian のパッケージ名に使えません（英小文字・数字・ハイフン）。",
    ]);
  });
});

describe("checkVendorOverlay", () => {
  it("refuses a product name other than the theme's", () => {
    expect(overlayErrors((o) => (o.productName = "別の名前"))).toEqual([
      "tauri.conf.json の productName「別の名前」が theme.json の productName「あおぞらケアプラン連携」と違います。",
    ]);
  });

  it("refuses the product's own identifier and upgradeCode", () => {
    const errors = overlayErrors((o) => {
      o.identifier = base().identifier;
      o.bundle.windows.wix.upgradeCode = base().bundle.windows.wix.upgradeCode.toUpperCase();
    });
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain("は別の製品と同じです。設定の保存先が混ざる");
    expect(errors[1]).toContain("は別の製品と同じです。上書きインストールされてしまう");
  });

  it("refuses a missing upgradeCode or identifier", () => {
    const errors = overlayErrors((o) => {
      // The same object, seen as any configuration file, whose keys may be missing.
      const config: TauriConfig = o;
      delete config.identifier;
      delete config.bundle?.windows;
    });
    expect(errors).toEqual([
      "identifier「」は jp.example.vendor.careplan のような逆ドメイン名で書いてください。",
      "bundle.windows.wix.upgradeCode に自社製品用の GUID を書いてください（一度決めたら変えないこと）。",
    ]);
  });

  it("refuses a build that would not use the theme", () => {
    expect(overlayErrors((o) => (o.build.beforeBuildCommand = "npm run build --workspace ui"))).toEqual([
      "build.beforeBuildCommand を「npm run build --workspace ui -- --mode aozora」にしてください（画面がこのテーマで作られます）。",
    ]);
  });

  it("refuses an exe name with spaces or Japanese", () => {
    expect(overlayErrors((o) => (o.mainBinaryName = "あおぞら 連携"))).toEqual([
      "mainBinaryName「あおぞら 連携」は英小文字・数字・ハイフンで書いてください（exe の名前になります）。",
    ]);
  });

  it("refuses icons that are not there or no .ico", () => {
    const overlay = aozora();
    overlay.bundle.icon = ["../ui/themes/aozora/icons/missing.png"];
    expect(
      checkVendorOverlay("aozora", vendorTheme(), overlay, null, [base()], (path) => !path.includes("missing")),
    ).toEqual([
      "bundle.icon に Windows 用の .ico がありません。",
      "アイコン「../ui/themes/aozora/icons/missing.png」がありません（src-tauri から見た場所で書きます）。",
    ]);
  });

  it("checks the Linux overlay when there is one", () => {
    const linux = aozoraLinux();
    expect(overlayErrors(() => undefined, linux)).toEqual([]);
    linux.productName = "あおぞら";
    expect(overlayErrors(() => undefined, linux)).toEqual([
      "tauri.linux.conf.json の productName「あおぞら」は Debian のパッケージ名に使えません（英小文字・数字・ハイフン）。",
    ]);
  });

  it("stops the build of a theme without an overlay", () => {
    expect(checkVendorFolder("default-copy", loadTheme("aozora").theme)).toEqual([
      "ui/themes/default-copy/tauri.conf.json がありません。製品名・識別子・アイコン・upgradeCode を書いてください。",
    ]);
  });
});
