// The forms on the Rust side's own reading of the standard's fixtures (ui/src/forms/fixtures, written
// by src-tauri's generator from fixtures/): the values in the right cells, as the paper forms have them.
import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { OpenedFiles } from "../bindings/OpenedFiles";
import { FormViewer } from "./FormViewer";
import plan from "./fixtures/v41-plan.json";
import useSheet from "./fixtures/v41-use-sheet.json";
import subtotal from "./fixtures/v41-use-sheet-subtotal.json";
import actual from "./fixtures/v41-actual.json";
import equipment from "./fixtures/v41-actual-welfare-equipment.json";
import dayRate from "./fixtures/v41-use-sheet-day-rate.json";
import prevention from "./fixtures/v41-prevention.json";
import planDelete from "./fixtures/v41-plan-delete.json";
import actualDelete from "./fixtures/v41-actual-delete.json";
import v32Plan from "./fixtures/v32-plan.json";
import invalidTime from "./fixtures/invalid-time.json";
import checkDigit from "./fixtures/warning-check-digit.json";
import outsideMonth from "./fixtures/invalid-outside-month.json";
import unitIncomplete from "./fixtures/invalid-unit-incomplete.json";

/** Text as written, full-width spaces kept (the default matcher folds them with the others). */
const RAW = { normalizer: (text: string) => text };

function show(fixture: unknown) {
  return render(<FormViewer opened={fixture as OpenedFiles} />);
}

/** The form (a sheet) with this heading. */
const sheet = (name: string, n = 0) => screen.getAllByRole("article", { name })[n];

describe("第1表 居宅サービス計画書(1)", () => {
  it("names the person from the unit's 補足, with 認定 and 要介護状態区分 in words and the long texts' line breaks", () => {
    show(plan);
    const form = sheet("第1表　居宅サービス計画書（1）");
    expect(within(form).getByText("山田　花子 殿", RAW)).toBeInTheDocument();
    expect(within(form).getByText("1940年1月5日")).toBeInTheDocument();
    const level = within(form).getAllByText("要介護２")[0];
    expect(level.closest(".coded")).toHaveTextContent("要介護２ 22");
    expect(within(form).getByText("継続", { exact: false })).toBeInTheDocument();
    expect(within(form).getByText("認定済", { exact: false })).toBeInTheDocument();
    // The text keeps its line break (shown with white-space: pre-wrap), not run together.
    const assessment = within(form).getByText(/自宅で妻と暮らし続けたい。/);
    expect(assessment.textContent).toBe("自宅で妻と暮らし続けたい。\n買い物と入浴に介助が必要。");
    expect(assessment).toHaveClass("long-text");
    // 認定日 and the start of the 認定の有効期間.
    expect(within(form).getAllByText("2025年3月1日")).toHaveLength(2);
    expect(within(form).getByText("2026年2月28日")).toBeInTheDocument();
  });

  it("is one sheet per person, the unit's title and people above", () => {
    show(plan);
    expect(screen.getAllByRole("article", { name: "第1表　居宅サービス計画書（1）" })).toHaveLength(2);
    expect(screen.getByRole("heading", { level: 2, name: /^居宅サービス計画書 第1〜3表（山田.花子、山田.花子）$/ })).toBeInTheDocument();
  });
});

describe("第2表 居宅サービス計画書(2)", () => {
  it("spans a 課題 and its 目標 over their 援助内容, a continuation row carrying them forward", () => {
    show(plan);
    const form = sheet("第2表　居宅サービス計画書（2）");
    const issue = within(form).getByText("一人での入浴が不安");
    // One cell for the 課題 over both of its rows: the second row of the file left it blank.
    expect(issue.closest("td")).toHaveAttribute("rowspan", "2");
    expect(within(form).getAllByText("安全に入浴できる")).toHaveLength(1);
    const rows = within(form).getAllByRole("row");
    const second = rows.find((r) => r.getAttribute("data-line") === "2")!;
    expect(within(second).getByText("妻による声かけ")).toBeInTheDocument();
    // ※1: ○ for a service the insurance pays, nothing for the family's help.
    expect(within(second).queryByText("○")).toBeNull();
    const first = rows.find((r) => r.getAttribute("data-line") === "1")!;
    expect(within(first).getByText("○")).toBeInTheDocument();
    expect(within(first).getByText("ひまわりヘルパーステーション")).toBeInTheDocument();
    expect(within(first).getByText("週2回")).toBeInTheDocument();
  });
});

describe("第3表 週間サービス計画表", () => {
  it("places each service on its weekday from its start to its end, half hour by half hour", () => {
    const { container } = show(plan);
    const slots = [...container.querySelectorAll<HTMLElement>(".week-slot")];
    const monday = slots.find((s) => s.dataset.weekday === "1" && s.textContent?.includes("訪問介護（入浴）"))!;
    expect(monday).toBeDefined();
    // 10:00 is the 21st half hour (row 20 counted from 0); the header row comes first.
    expect(monday.style.gridRow).toBe("22 / 24");
    // Columns: the band, the hour, then 月 to 日.
    expect(monday.style.gridColumn).toBe("3");
    const thursday = slots.find((s) => s.dataset.weekday === "4")!;
    expect(thursday.style.gridColumn).toBe("6");
    expect(within(monday).getByText("10:00")).toBeInTheDocument();
    // 起床 at 06:30 is a moment: one half-hour row in 主な日常生活上の活動, not the rest of the day.
    const wakeUp = [...container.querySelectorAll<HTMLElement>(".week-activity")].find((a) => a.textContent?.includes("起床"))!;
    expect(wakeUp.style.gridRow).toBe("15 / 16");
    expect(wakeUp.style.gridColumn).toBe("10");
  });
});

describe("第6表 サービス利用票", () => {
  it("is the month's calendar with 曜日, the counts on their days, 合計回数 and 単位数", () => {
    show(useSheet);
    const form = sheet("第6表　サービス利用票（予定）");
    const grid = form.querySelector("table.use-grid") as HTMLTableElement;
    const [days, weekdays] = [...grid.tHead!.rows];
    // April: 30 days, the 1st a Tuesday.
    expect([...days.cells].filter((c) => /^\d+$/.test(c.textContent ?? ""))).toHaveLength(30);
    expect(weekdays.cells[0]).toHaveTextContent("火");
    expect(weekdays.cells[4]).toHaveClass("saturday");
    const line = grid.tBodies[0].rows[0];
    const dayCells = [...line.querySelectorAll("td.day")];
    expect(dayCells).toHaveLength(30);
    expect(dayCells[0]).toHaveTextContent("1");
    expect(dayCells[1]).toHaveTextContent("");
    expect(dayCells[3]).toHaveTextContent("1");
    expect(within(line).getByText("訪問介護")).toBeInTheDocument();
    expect(within(line).getByText("111211")).toBeInTheDocument();
    expect(within(line).getByText("09:30～10:30")).toBeInTheDocument();
    const totals = [...line.querySelectorAll("td.number")].map((c) => c.textContent);
    expect(totals).toEqual(["8", "3,160"]);
    expect(within(form).getByText("山田　花子 殿", RAW)).toBeInTheDocument();
    expect(within(form).getByText("19,705 単位")).toBeInTheDocument();
    expect(within(form).getByText(/対象年月 2025年4月分/)).toBeInTheDocument();
  });

  it("marks the days a service is claimed by the day (日割)", () => {
    show(dayRate);
    const form = sheet("第6表　サービス利用票（予定）");
    const marked = [...form.querySelectorAll("td.day-rate")];
    expect(marked.length).toBeGreaterThan(0);
    for (const cell of marked) expect(cell).toHaveAttribute("title", "日割");
    expect(within(form).getByText("下線の日は日割の対象日です。")).toBeInTheDocument();
  });

  it("says 実績 for a service office's 実績, and names the 福祉用具", () => {
    show(actual);
    expect(sheet("第6表　サービス利用票（実績）")).toBeInTheDocument();
    render(<FormViewer opened={equipment as unknown as OpenedFiles} />);
    const withEquipment = screen.getAllByRole("article", { name: "第6表　サービス利用票（実績）" }).at(-1)!;
    expect(within(withEquipment).getAllByText(/^用具: /).length).toBeGreaterThan(0);
    expect(within(withEquipment).getAllByText("福祉用具貸与").length).toBeGreaterThan(0);
  });
});

describe("第7表 サービス利用票別表", () => {
  it("draws the 小計 and 全合計 rows as totals, with the 限度額 below", () => {
    show(subtotal);
    const form = sheet("第7表　サービス利用票別表");
    const subtotalRow = form.querySelector("tr.summary-row.subtotal") as HTMLTableRowElement;
    expect(within(subtotalRow).getByText("訪問介護 計")).toBeInTheDocument();
    expect(within(subtotalRow).getByText(/AAAA$/)).toBeInTheDocument();
    const total = form.querySelector("tr.summary-row.grand_total") as HTMLTableRowElement;
    expect(within(total).getByText("合計")).toBeInTheDocument();
    expect(within(total).getByText("999999")).toBeInTheDocument();
    // The 全合計 row's 事業所番号 9999999999 is the standard's marker, not an office.
    expect(within(total).queryByText("9999999999")).toBeNull();
    expect(within(form).getByText(/区分支給限度基準額 19,705 単位/)).toBeInTheDocument();
    expect(within(form).getByRole("heading", { name: "種類別支給限度管理" })).toBeInTheDocument();
  });
});

describe("利用者補足情報", () => {
  it("lists the person under the layout's item names, codes in words", () => {
    show(useSheet);
    const form = sheet("利用者補足情報");
    expect(within(form).getByText("利用者氏名")).toBeInTheDocument();
    expect(within(form).getByText("ハイツ髙橋　１０１号", RAW)).toBeInTheDocument();
    expect(within(form).getByText("要介護１", { exact: false })).toBeInTheDocument();
    expect(within(form).getByText("サービス利用票（2025年4月）に対応")).toBeInTheDocument();
    // The nine slots of 種類別 limits as one table, only the filled ones.
    const slots = within(form).getByRole("table");
    expect(within(slots).getAllByRole("row")).toHaveLength(2);
    expect(within(slots).getByText("訪問介護", { exact: false })).toBeInTheDocument();
  });
});

describe("介護予防", () => {
  it("shows 利用者基本情報, its 別表 and the 支援計画 under the layout's names", () => {
    show(prevention);
    const basic = sheet("利用者基本情報");
    expect(within(basic).getAllByText("田中　次郎", RAW).length).toBeGreaterThan(0);
    // 要介護状態区分 and 前回の介護度, each the code's meaning with the code.
    const level = within(basic).getByText("要介護状態区分").closest(".record-item")!;
    expect(level).toHaveTextContent("要支援１ 12");
    expect(within(basic).getByText("1943年8月22日")).toBeInTheDocument();
    expect(screen.getByRole("article", { name: "介護予防サービス・支援計画書" })).toBeInTheDocument();
    expect(screen.getByRole("article", { name: "介護予防サービス・支援計画書（別表）支援計画" })).toBeInTheDocument();
    expect(screen.getByText(/家族構成図の画像/)).toBeInTheDocument();
  });
});

describe("deletions", () => {
  it("say in a sentence what they withdraw, and from whom", () => {
    show(planDelete);
    expect(screen.getByText(/の 2025年4月1日 作成（変更）の居宅サービス計画書（第1〜3表）を取り消します。/)).toBeInTheDocument();
  });

  it("name the office and サービス種類 of a withdrawn 実績", () => {
    show(actualDelete);
    expect(screen.getByText(/2025年4月分の実績（事業所 1370000026、訪問介護（11））を取り消します。/)).toBeInTheDocument();
  });
});

describe("v3.2 files", () => {
  it("read through the same forms", () => {
    show(v32Plan);
    expect(sheet("第1表　居宅サービス計画書（1）")).toBeInTheDocument();
    expect(sheet("第2表　居宅サービス計画書（2）")).toBeInTheDocument();
  });
});

describe("findings on the form", () => {
  it("shows a record that cannot be read, with the reason, instead of a form that looks whole", () => {
    show(invalidTime);
    const block = document.querySelector("section.form-file") as HTMLElement;
    expect(within(block).getByText("標準仕様に合わない箇所があります。該当する箇所に印を付けています。")).toBeInTheDocument();
    // All three records of the file are broken: three lines say so, and no row is drawn.
    expect(within(block).getAllByText(/行目は読めないため表示していません: 「サービス開始時刻」/)).toHaveLength(3);
    expect(block.querySelector("table")).toBeNull();
  });

  it("marks the item a finding is about, the message at the item", () => {
    show(checkDigit);
    const form = sheet("第6表　サービス利用票（実績）");
    const flagged = form.querySelector('.item.flagged.warning[data-field="planner_number"]') as HTMLElement;
    expect(flagged).not.toBeNull();
    expect(flagged).toHaveTextContent("1370000019");
    const finding = (checkDigit as unknown as OpenedFiles).diagnostics[0];
    expect(finding.item_no).toBe(6);
    expect(within(flagged).getByText(finding.message)).toBeInTheDocument();
  });

  it("says above the forms what is wrong with the send unit as a whole", () => {
    show(unitIncomplete);
    const finding = (unitIncomplete as unknown as OpenedFiles).diagnostics.find((d) => d.code === "unit.incomplete")!;
    const alert = screen.getByText("送信単位としての指摘があります（相手の介護ソフトが取り込めないことがあります）。").closest(".alert")!;
    expect(alert).toHaveClass("error");
    expect(within(alert as HTMLElement).getByText(finding.message)).toBeInTheDocument();
  });

  it("marks the line of 第6表 whose record has an error, the message under it", () => {
    show(outsideMonth);
    const form = sheet("第6表　サービス利用票（実績）");
    const flagged = form.querySelector("tr.flagged.error") as HTMLElement;
    expect(flagged).not.toBeNull();
    const finding = (outsideMonth as unknown as OpenedFiles).diagnostics.find((d) => d.code === "file.use_date_outside_month")!;
    expect(within(form).getByText(finding.message)).toBeInTheDocument();
  });
});
