// 送受信履歴 on the screen: rows with who sent and who took each file, the 受領証 and the later
// versions; the filters as the relay takes them; a bad period said in Japanese; the CSV saved; and
// the A4 report with its heading, page numbers and verification note.
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { BackendProvider } from "../backend/BackendContext";
import { CARE_MANAGER, FakeBackend, HOME_HELP, historyEntry } from "../test/fakeBackend";
import { japanToday } from "../components/format";
import { HistoryScreen, queryOf, defaultFilters, monthOf } from "./HistoryScreen";
import { ROWS_PER_SHEET } from "./HistoryReport";

const TODAY = new Date(2025, 4, 10); // 2025-05-10
const OLD_PLAN = "UP1KYO_1370000018_43_1370000026_11_20250401093000.CSV";
const SHEET = "UPPLAN_202504_1370000018_43_1370000026_11_20250325120000.CSV";

function backendWithHistory() {
  const backend = new FakeBackend();
  backend.historyEntries = [
    historyEntry("f1", OLD_PLAN, {
      unit_title: "居宅サービス計画書 第1〜3表",
      sent_at: "2025-04-01T09:31:00+09:00",
      fetched_at: "2025-04-02T10:00:00+09:00",
      fetched_by: { person_id: "c1370000026a", person_name: "佐藤　一郎", terminal: "事務所PC" },
      receipt_signature: "c2ln",
      later_versions: [{ file_id: "f9", name: OLD_PLAN.replace("20250401093000", "20250410100000"), serial: "20250410100000", sent_at: "2025-04-10T10:01:00+09:00", fetched_at: null }],
    }),
    historyEntry("f2", SHEET, {
      direction: "sent",
      partner: { number: "1370000042", name: "さくら通所介護センター" },
      sent_by: { person_id: "c1370000026a", person_name: "佐藤　一郎", terminal: "受付PC" },
      fetched_at: "2025-04-26T08:00:00+09:00",
      fetched_by: { person_id: "c1370000042a", person_name: null, terminal: "デイ事務所" },
      receipt_signature: "c2ln",
    }),
    historyEntry("f3", "主治医意見書.pdf", { sent_at: "2025-03-05T12:00:00+09:00", expired_at: "2025-05-04T12:00:00+09:00" }),
  ];
  return backend;
}

function renderScreen(backend: FakeBackend) {
  render(
    <BackendProvider backend={backend}>
      <HistoryScreen office={HOME_HELP} today={TODAY} />
    </BackendProvider>,
  );
}

describe("送受信履歴", () => {
  it("starts with the last months and says who sent, who took, the receipt and the later versions", async () => {
    const backend = backendWithHistory();
    renderScreen(backend);
    expect(await screen.findByText("2025/03/01 ～ 2025/05/10 の送受信 3 件")).toBeInTheDocument();
    const plan = screen.getByTestId("history-f1");
    expect(within(plan).getByText("受信")).toBeInTheDocument();
    expect(within(plan).getByText(CARE_MANAGER.name)).toBeInTheDocument();
    expect(await within(plan).findByText("居宅サービス計画書（第1表）")).toBeInTheDocument();
    expect(within(plan).getByText("居宅サービス計画書 第1〜3表")).toBeInTheDocument();
    expect(within(plan).getByText("c1370000018a・居宅PC")).toBeInTheDocument();
    expect(within(plan).getByText(/^佐藤.一郎（c1370000026a）・事務所PC$/)).toBeInTheDocument();
    expect(within(plan).getByText("2025/04/10 10:01 送信（未取得）")).toBeInTheDocument();
    expect(within(plan).getByText("あり")).toBeInTheDocument();
    const sheet = screen.getByTestId("history-f2");
    expect(within(sheet).getByText("送信")).toBeInTheDocument();
    expect(within(sheet).getByText("最新")).toBeInTheDocument();
    const attachment = screen.getByTestId("history-f3");
    expect(within(attachment).getByText("PDF等")).toBeInTheDocument();
    expect(within(attachment).getByText("期限切れ（2025/05/04 削除）")).toBeInTheDocument();
  });

  it("searches with the filters as the relay takes them: a 10-character 利用者 is a 被保険者番号, else a name", () => {
    const filters = { ...defaultFilters(TODAY), partner: " 1370000018 ", person: "0000012345", kind: "plan" as const, month: "2025-04", direction: "received" as const };
    expect(queryOf(filters, 2)).toEqual({ from: "2025-03-01", to: "2025-05-10", page: 2, per_page: 100, partner: "1370000018", insured: "0000012345", kind: "plan", month: "202504", direction: "received" });
    expect(queryOf({ ...filters, person: "山田 花子" }, 1)).toMatchObject({ name: "山田 花子" });
    expect(queryOf({ ...filters, person: "山田 花子" }, 1).insured).toBeUndefined();
    // A month typed where the web view has no month picker.
    for (const typed of ["2025-04", "2025/4", "2025年4月", "202504", "２０２５／０４"]) expect(monthOf(typed)).toBe("202504");
    expect(monthOf("4月")).toBe("4月");
    // Typed with the IME: full-width digits are digits.
    expect(queryOf({ ...filters, partner: "１３７００００－０１８", person: "０００００１２３４５" }, 1)).toMatchObject({ partner: "1370000018", insured: "0000012345" });
  });

  it("filters the list on 検索 only, and clears back to the first period", async () => {
    const backend = backendWithHistory();
    const user = userEvent.setup();
    renderScreen(backend);
    await screen.findByTestId("history-f1");
    const asked = () => backend.calls.filter((c) => c === "history").length;
    const before = asked();
    await user.selectOptions(screen.getByLabelText("ファイルの種類"), "居宅サービス計画書（第1〜3表）");
    expect(asked()).toBe(before);
    await user.click(screen.getByRole("button", { name: "検索" }));
    await waitFor(() => expect(screen.queryByTestId("history-f2")).not.toBeInTheDocument());
    expect(screen.getByTestId("history-f1")).toBeInTheDocument();
    expect(screen.getByText("2025/03/01 ～ 2025/05/10 の送受信 1 件")).toBeInTheDocument();
    await user.type(screen.getByLabelText("利用者（被保険者番号または氏名）"), "鈴木");
    await user.click(screen.getByRole("button", { name: "検索" }));
    expect(await screen.findByText("この期間・条件の送受信はありません。期間や条件を変えて検索してください。")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "CSVで保存" })).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "条件をクリア" }));
    expect(await screen.findByTestId("history-f2")).toBeInTheDocument();
    expect(screen.getByLabelText("利用者（被保険者番号または氏名）")).toHaveValue("");
  });

  it("asks again when 検索 is pressed with the same filters, for what came since", async () => {
    const backend = backendWithHistory();
    const user = userEvent.setup();
    renderScreen(backend);
    await screen.findByTestId("history-f1");
    backend.historyEntries.unshift(historyEntry("f4", "UPJSK_202504_1370000026_11_1370000018_43_20250430180000.CSV", { sent_at: "2025-05-09T09:00:00+09:00" }));
    await user.click(screen.getByRole("button", { name: "検索" }));
    expect(await screen.findByTestId("history-f4")).toBeInTheDocument();
  });

  it("says in Japanese when the period ends before it starts", async () => {
    const backend = backendWithHistory();
    const user = userEvent.setup();
    renderScreen(backend);
    await screen.findByTestId("history-f1");
    const to = screen.getByLabelText("期間の末日");
    await user.clear(to);
    await user.type(to, "2025-02-01");
    await user.click(screen.getByRole("button", { name: "検索" }));
    expect(await screen.findByText("期間の終わりが始まりより前です。始まりと終わりの日付を確かめてください。")).toBeInTheDocument();
  });

  it("saves the whole period as CSV and a sent file's 受領証", async () => {
    const backend = backendWithHistory();
    const user = userEvent.setup();
    renderScreen(backend);
    await screen.findByTestId("history-f1");
    await user.click(screen.getByRole("button", { name: "CSVで保存" }));
    expect(await screen.findByText("送受信履歴を保存しました: /home/user/送受信履歴_20250401-20250430.csv（Excelで開けます）")).toBeInTheDocument();
    expect(backend.historyCsvSaved).toEqual([{ from: "2025-03-01", to: "2025-05-10" }]);
    await user.click(within(screen.getByTestId("history-f2")).getByRole("button", { name: `「${SHEET}」の受領証を保存` }));
    expect(await screen.findByText(/受領証を保存しました/)).toBeInTheDocument();
    expect(backend.receiptsSaved).toEqual(["f2"]);
  });

  it("shows the report on A4 sheets, each with the office, the period, its page number and the verification note", async () => {
    const backend = backendWithHistory();
    for (let i = 0; i < ROWS_PER_SHEET; i++) backend.historyEntries.push(historyEntry(`g${i}`, SHEET.replace("20250325120000", `202503251200${String(i).padStart(2, "0")}`)));
    const user = userEvent.setup();
    renderScreen(backend);
    await screen.findByTestId("history-f1");
    await user.click(screen.getByRole("button", { name: "印刷用に表示" }));
    const dialog = await screen.findByRole("dialog", { name: "送受信履歴の印刷" });
    const sheets = await within(dialog).findAllByRole("region", { name: /ページ$/ });
    expect(sheets).toHaveLength(2);
    expect(within(sheets[1]).getByText("2 / 2 ページ")).toBeInTheDocument();
    for (const sheet of sheets) {
      expect(within(sheet).getByText(`事業所: ${HOME_HELP.name}（事業所番号 ${HOME_HELP.number}）`)).toBeInTheDocument();
      expect(within(sheet).getByText("期間: 2025/03/01 ～ 2025/05/10（送信日）")).toBeInTheDocument();
      expect(within(sheet).getByText(/鍵ID 0123456789abcdef/)).toBeInTheDocument();
    }
    expect(within(sheets[0]).getAllByRole("row")).toHaveLength(ROWS_PER_SHEET + 1);
    expect(within(sheets[1]).getAllByRole("row")).toHaveLength(3 + 1);
    expect(within(sheets[1]).getByText(String(ROWS_PER_SHEET + 3))).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "閉じる" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "印刷用に表示" })).toHaveFocus();
  });

  it("asks for a shorter period when the report would be too long", async () => {
    const backend = backendWithHistory();
    backend.historyReportLimit = 2;
    const user = userEvent.setup();
    renderScreen(backend);
    await screen.findByTestId("history-f1");
    await user.click(screen.getByRole("button", { name: "印刷用に表示" }));
    const dialog = await screen.findByRole("dialog", { name: "送受信履歴の印刷" });
    expect(await within(dialog).findByText(/期間を短くするか/)).toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "印刷" })).toBeDisabled();
  });
});

describe("japanToday", () => {
  it("is the date in Japan, not the PC's: 15:30 UTC is already the next day there", () => {
    const day = japanToday(new Date("2026-12-02T15:30:00Z"));
    expect([day.getFullYear(), day.getMonth() + 1, day.getDate()]).toEqual([2026, 12, 3]);
    const before = japanToday(new Date("2026-12-02T14:59:00Z"));
    expect(before.getDate()).toBe(2);
  });
});
