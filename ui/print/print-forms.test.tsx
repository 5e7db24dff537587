// 印刷 through a real browser's print path: the forms rendered by the app's own components, marked
// for printing by the app's own code (print.ts), printed to PDF by Chromium with the app's CSS
// (@media print), and the PDF's pages counted and sized. With CAREPLAN_SCREENSHOTS_DIR set, each
// PDF's first page is kept there as PNG to be looked at (docs/images).
import { render } from "@testing-library/react";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { OpenedFiles } from "../src/bindings/OpenedFiles";
import { FormViewer } from "../src/forms/FormViewer";
import { markForPrint, orientationOf } from "../src/forms/print";
import longPlan from "../src/forms/fixtures/v41-plan-long.json";
import dayRate from "../src/forms/fixtures/v41-use-sheet-day-rate.json";
import plan from "../src/forms/fixtures/v41-plan.json";
import { loadTheme } from "../themes/vite-plugin.ts";
import { themeCss } from "../themes/theme.ts";

const CHROMIUM = "/usr/bin/chromium";
/** The app's stylesheets as the build bundles them (read as files: the test runner leaves CSS out). */
const css = (path: string) => readFileSync(join(import.meta.dirname, "..", "src", path), "utf8");
const work = mkdtempSync(join(tmpdir(), "careplan-print-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Printed = { pages: number; size: string; pdf: string };

/** The page as the webview has it when 印刷 is pressed on the form of `kind`, printed to PDF. */
function printFormOf(fixture: unknown, kind: string, name: string): Printed {
  const { container, unmount } = render(<FormViewer opened={fixture as OpenedFiles} />);
  const block = container.querySelector<HTMLElement>(`section.form-file[data-file^="${kind}_"]`);
  if (!block) throw new Error(`no ${kind} form`);
  const restore = markForPrint(block, orientationOf(block));
  const styles = [themeCss(loadTheme("default").theme), css("styles.css"), css("forms/forms.css")].join("\n");
  const html = `<!doctype html>${document.documentElement.outerHTML.replace("</head>", `<style>${styles}</style></head>`)}`;
  restore();
  unmount();
  const page = join(work, `${name}.html`);
  const pdf = join(work, `${name}.pdf`);
  writeFileSync(page, html);
  execFileSync(CHROMIUM, [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    `--user-data-dir=${join(work, "profile")}`,
    "--no-pdf-header-footer",
    `--print-to-pdf=${pdf}`,
    `file://${page}`,
  ], { stdio: "ignore", timeout: 60_000 });
  const info = execFileSync("pdfinfo", [pdf], { encoding: "utf8" });
  const kept = process.env.CAREPLAN_SCREENSHOTS_DIR;
  if (kept) {
    execFileSync("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", pdf, join(kept, name)]);
  }
  return { pages: Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]), size: /^Page size:\s+(.*)$/m.exec(info)?.[1] ?? "", pdf };
}

/** pdfinfo's `841.92 x 594.96 pts (A4)` → `A4 landscape`. */
function orientationOfPage(size: string): string {
  const found = /^([\d.]+) x ([\d.]+) pts \((\w+)\)/.exec(size);
  if (!found) return size;
  return `${found[3]} ${Number(found[1]) > Number(found[2]) ? "landscape" : "portrait"}`;
}

describe("印刷", () => {
  it("has Chromium and poppler's pdfinfo to print with (scripts/run-tests.sh installs them)", () => {
    expect(existsSync(CHROMIUM)).toBe(true);
  });

  it("prints 第6表 alone on one A4 landscape page", () => {
    const printed = printFormOf(dayRate, "UPPLAN", "print-use-sheet");
    expect(printed.pages).toBe(1);
    expect(orientationOfPage(printed.size)).toBe("A4 landscape");
    const text = execFileSync("pdftotext", ["-layout", printed.pdf, "-"], { encoding: "utf8" });
    expect(text).toContain("第6表");
    expect(text).toContain("サービス利用票（予定）");
    // Only the form: neither the other forms of the unit nor the screen's buttons.
    expect(text).not.toContain("第7表");
    expect(text).not.toContain("印刷");
  });

  it("breaks a long 第2表 between rows onto more A4 landscape pages, the heading on each", () => {
    const printed = printFormOf(longPlan, "UP2KYO", "print-plan2-long");
    expect(printed.pages).toBeGreaterThan(2);
    expect(orientationOfPage(printed.size)).toBe("A4 landscape");
    const pages = execFileSync("pdftotext", ["-layout", printed.pdf, "-"], { encoding: "utf8" }).split("\f").filter((p) => p.trim());
    // The table's heading is repeated at the top of every page of the table.
    for (const page of pages.slice(1)) expect(page).toContain("援助内容");
    // Every row is printed, once: none lost at a page break, none repeated.
    const all = pages.join("");
    for (let issue = 2; issue <= 12; issue++) {
      for (let content = 1; content <= 3; content++) expect(all.split(`援助内容${issue}-${content}：`)).toHaveLength(2);
    }
  });

  it("prints 第1表 on A4 portrait", () => {
    const printed = printFormOf(plan, "UP1KYO", "print-plan1");
    // Two people: one sheet each.
    expect(printed.pages).toBe(2);
    expect(orientationOfPage(printed.size)).toBe("A4 portrait");
  });
});

// The PDF's bytes are never empty: a failed print leaves no file, and pdfinfo would have failed.
it("leaves nothing of the screen marked for printing", () => {
  printFormOf(plan, "UP3KYO", "print-plan3");
  expect(document.documentElement.classList.contains("printing-form")).toBe(false);
  expect(document.getElementById("careplan-print-page")).toBeNull();
  expect(readFileSync(join(work, "print-plan3.pdf")).subarray(0, 5).toString()).toBe("%PDF-");
});
