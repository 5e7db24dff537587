// 予実突合 on the screen: files go to their side by kind, the comparison is shown day by day with
// each kind of difference where the Rust side found it, and saved as CSV; what cannot be compared is
// said in Japanese and nothing is shown as if it matched.
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { BackendProvider } from "../backend/BackendContext";
import type { Reconciliation } from "../bindings/records/Reconciliation";
import differences from "../forms/fixtures/reconcile-differences.json";
import { FakeBackend, HOME_HELP, apiError, file, message } from "../test/fakeBackend";
import { ReconcileScreen } from "./ReconcileScreen";
import { sideOf } from "./reconcileSides";

const PLAN = "/home/user/予定/UPPLAN_202504_1370000018_43_1370000026_11_20250325120000.CSV";
const HOSOKU = "/home/user/予定/UPHOSOKU_202504_1370000018_43_1370000026_11_20250325120000.CSV";
const ACTUAL = "/home/user/実績/UPJSK_202504_1370000026_11_1370000018_43_20250430180000.CSV";
const result = differences as unknown as Reconciliation;

function renderScreen(backend: FakeBackend) {
  render(
    <BackendProvider backend={backend}>
      <ReconcileScreen />
    </BackendProvider>,
  );
}

async function dropBoth(backend: FakeBackend) {
  const side = screen.getByRole("group", { name: "予定（UPPLAN）" });
  await waitFor(() => expect(side).toHaveAttribute("data-drop-ready", "true"));
  backend.drop([PLAN, HOSOKU, ACTUAL]);
  await within(side).findByText(PLAN.split("/").pop()!);
}

describe("予実突合", () => {
  it("sorts dropped files to their side by the kind in their names", () => {
    expect(sideOf(PLAN)).toBe("plan");
    expect(sideOf(HOSOKU)).toBe("plan");
    expect(sideOf(ACTUAL)).toBe("actual");
    expect(sideOf("C:\\実績\\UPJSK_202504_x.CSV")).toBe("actual");
    expect(sideOf("/home/user/実績")).toBeNull();
    expect(sideOf("/home/user/意見書.pdf")).toBeNull();
  });

  it("shows each day where the comparison puts it, the totals, and saves the CSV", async () => {
    const backend = new FakeBackend();
    backend.reconciliation = result;
    const user = userEvent.setup();
    renderScreen(backend);
    await dropBoth(backend);
    expect(within(screen.getByRole("group", { name: "実績（UPJSK）" })).getByText(ACTUAL.split("/").pop()!)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "突合する" }));
    expect(await screen.findByText(`${result.compared} 人・月を突合し、${result.with_differences} 件に差異があります。`)).toBeInTheDocument();
    expect(backend.reconciled[0]).toEqual({ plan: { from: "disk", paths: [PLAN, HOSOKU] }, actual: { from: "disk", paths: [ACTUAL] } });
    // Every kind of difference the pair holds is on screen, in its day's column.
    const person = result.people[0];
    const section = screen.getByRole("region", { name: new RegExp(`^${person.person.label}`) });
    const seen = new Set<string>();
    person.services.forEach((service, s) => {
      const row = section.querySelectorAll("tbody tr:not(.reconcile-details)")[s];
      const cells = row.querySelectorAll("td.day");
      for (const day of service.days) {
        const cell = cells[Number(day.date.slice(8, 10)) - 1];
        expect(cell).toHaveAttribute("data-status", day.status);
        expect(cell.textContent).toBe({ matching: "○", planned_not_done: "予", done_not_planned: "実", changed: "変" }[day.status]);
        seen.add(day.status);
      }
    });
    expect([...seen].sort()).toEqual(["changed", "done_not_planned", "matching", "planned_not_done"]);
    // Under each service, every day that differs in words, with the times of both sides.
    const changed = person.services.flatMap((s) => s.days).find((d) => d.time_changed && d.planned && d.actual)!;
    const [, m, d] = changed.date.split("-").map(Number);
    const planned = changed.planned!.visits[0];
    const actual = changed.actual!.visits[0];
    expect(within(section).getByText(new RegExp(`^2025年${m}月${d}日 変更: 予定 ${planned.start}～${planned.end}.* → 実績 ${actual.start}～${actual.end}`))).toBeInTheDocument();
    expect(section).toHaveTextContent(`予定 ${person.totals.planned_count} 回・実績 ${person.totals.actual_count} 回`);
    await user.click(screen.getByRole("button", { name: "CSVで保存" }));
    expect(await screen.findByText("保存しました: /home/user/予実突合_202504.csv")).toBeInTheDocument();
  });

  it("takes the 予定 from 送信一覧 and the 実績 from 受信一覧, each message in words, only that side's files", async () => {
    const backend = new FakeBackend();
    backend.stage = 2;
    backend.reconciliation = result;
    const useSheet = { serial: "20250325120000", title: "サービス利用票（予定）2025年4月分", people: ["山田　花子"] };
    const actualUnit = { serial: "20250430180000", title: "実績 2025年4月分", people: ["保険者番号 131016・被保険者番号 0000012345"] };
    backend.outbox = [
      message("s2", [file("n1", "連絡.txt")], "連絡です", HOME_HELP),
      message("s1", [file("p1", PLAN.split("/").pop()!, true), file("p2", HOSOKU.split("/").pop()!, true), file("p3", "主治医意見書.pdf", true)], "", HOME_HELP, [useSheet]),
    ];
    backend.inbox = [message("r1", [file("a1", ACTUAL.split("/").pop()!)], "実績です", HOME_HELP, [actualUnit])];
    const user = userEvent.setup();
    renderScreen(backend);
    const planSide = screen.getByRole("group", { name: "予定（UPPLAN）" });
    await user.click(within(planSide).getByRole("button", { name: "送信一覧から選ぶ" }));
    const picker = await within(planSide).findByRole("group", { name: "送信一覧から選ぶ" });
    // Only messages with 予定 files are offered: not the message of a note alone.
    const offered = await within(picker).findAllByRole("checkbox");
    expect(offered).toHaveLength(1);
    expect(within(picker).getByText("サービス利用票（予定）2025年4月分")).toBeInTheDocument();
    const add = within(picker).getByRole("button", { name: "選んだメッセージを入れる" });
    expect(add).toBeDisabled();
    await user.click(offered[0]);
    await user.click(add);
    expect(within(planSide).queryByRole("group", { name: "送信一覧から選ぶ" })).toBeNull();
    expect(within(planSide).getByRole("list", { name: "送信一覧から 1 件のメッセージ" })).toHaveTextContent(/^ひまわりヘルパーステーションあて（.*送信）サービス利用票（予定）2025年4月分/);

    const actualSide = screen.getByRole("group", { name: "実績（UPJSK）" });
    await user.click(within(actualSide).getByRole("button", { name: "受信一覧から選ぶ" }));
    const inboxPicker = await within(actualSide).findByRole("group", { name: "受信一覧から選ぶ" });
    await user.click(await within(inboxPicker).findByRole("checkbox"));
    await user.click(within(inboxPicker).getByRole("button", { name: "選んだメッセージを入れる" }));
    expect(within(actualSide).getByRole("button", { name: "受信一覧から選ぶ" })).toHaveFocus();
    await user.click(screen.getByRole("button", { name: "突合する" }));
    expect(await screen.findByText(`${result.compared} 人・月を突合し、${result.with_differences} 件に差異があります。`)).toBeInTheDocument();
    const [sent, received] = [backend.outbox[1].files, backend.inbox[0].files];
    expect(backend.reconciled[0]).toEqual({
      plan: { from: "sent", messages: [{ message_id: "s1", files: [sent[0], sent[1]] }] },
      actual: { from: "received", files: received },
    });
    // Files chosen afterwards from this PC replace the side's messages.
    backend.chosenFiles = [PLAN];
    await user.click(within(planSide).getByRole("button", { name: "ファイルを選ぶ" }));
    expect(await within(planSide).findByRole("list", { name: "1 件のファイル" })).toHaveTextContent(PLAN.split("/").pop()!);
    expect(within(planSide).queryByRole("list", { name: /送信一覧/ })).toBeNull();
  });

  it("closes the picker when the list cannot be loaded, and says why", async () => {
    const backend = new FakeBackend();
    backend.stage = 2;
    backend.fail.listMessages = apiError("session.required", "ログインしていません。ログインしてからもう一度操作してください。");
    const user = userEvent.setup();
    renderScreen(backend);
    const planSide = screen.getByRole("group", { name: "予定（UPPLAN）" });
    await user.click(within(planSide).getByRole("button", { name: "送信一覧から選ぶ" }));
    const picker = await within(planSide).findByRole("group", { name: "送信一覧から選ぶ" });
    expect(await within(picker).findByText(/ログインしていません/)).toBeInTheDocument();
    expect(within(picker).getByRole("button", { name: "選んだメッセージを入れる" })).toBeDisabled();
    await user.click(within(picker).getByRole("button", { name: "やめる" }));
    expect(within(planSide).queryByRole("group", { name: "送信一覧から選ぶ" })).toBeNull();
  });

  it("says when a list has nothing for the side, and やめる closes the picker", async () => {
    const backend = new FakeBackend();
    backend.stage = 2;
    backend.inbox = [message("r1", [file("a1", ACTUAL.split("/").pop()!)])];
    const user = userEvent.setup();
    renderScreen(backend);
    const planSide = screen.getByRole("group", { name: "予定（UPPLAN）" });
    await user.click(within(planSide).getByRole("button", { name: "受信一覧から選ぶ" }));
    const picker = await within(planSide).findByRole("group", { name: "受信一覧から選ぶ" });
    expect(await within(picker).findByText(/^受信一覧の新しい 50 件に、この側のファイルがあるメッセージはありません。/)).toBeInTheDocument();
    await user.click(within(picker).getByRole("button", { name: "やめる" }));
    expect(within(planSide).queryByRole("group", { name: "受信一覧から選ぶ" })).toBeNull();
    expect(within(planSide).getByText("まだ選んでいません（ここにドラッグ＆ドロップもできます）")).toBeInTheDocument();
  });

  it("asks for both sides before comparing", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderScreen(backend);
    await user.click(screen.getByRole("button", { name: "突合する" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("予定と実績のファイルを両方選んでください。");
    expect(backend.calls).not.toContain("reconcileFiles");
  });

  it("says why a 予定 and 実績 of different people cannot be compared, and shows no result", async () => {
    const backend = new FakeBackend();
    backend.reconciliation = apiError("reconcile.refused", "予定と実績に、同じ利用者・同じ対象年月の組がありません。保険者番号・被保険者番号と対象年月を確かめてください。");
    const user = userEvent.setup();
    renderScreen(backend);
    await dropBoth(backend);
    await user.click(screen.getByRole("button", { name: "突合する" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("同じ利用者・同じ対象年月の組がありません");
    expect(screen.queryByText(/人・月を突合し/)).toBeNull();
    expect(screen.queryByRole("button", { name: "CSVで保存" })).toBeNull();
  });

  it("leaves out a dropped folder or other file, saying how to choose it", async () => {
    const backend = new FakeBackend();
    renderScreen(backend);
    const side = screen.getByRole("group", { name: "予定（UPPLAN）" });
    await waitFor(() => expect(side).toHaveAttribute("data-drop-ready", "true"));
    backend.drop(["/home/user/実績フォルダ"]);
    expect(await screen.findByText(/予定か実績か分からないため入れていません: 実績フォルダ/)).toBeInTheDocument();
    expect(within(side).getByText(/まだ選んでいません/)).toBeInTheDocument();
  });
});

describe("予実突合 of many people", () => {
  it("lists everyone with the result, and shows one person's days when asked", async () => {
    const many: Reconciliation = {
      ...result,
      people: Array.from({ length: 12 }, (_, i) => ({
        ...result.people[i % result.people.length],
        person: { ...result.people[0].person, insured: String(1000000001 + i), name: null, label: `被保険者番号 ${1000000001 + i}` },
      })),
    };
    const backend = new FakeBackend();
    backend.reconciliation = many;
    const user = userEvent.setup();
    renderScreen(backend);
    await dropBoth(backend);
    await user.click(screen.getByRole("button", { name: "突合する" }));
    await screen.findByText(/人・月を突合し/);
    const list = document.querySelector("table.reconcile-people") as HTMLElement;
    expect(within(list).getAllByRole("row")).toHaveLength(13);
    // Twelve people: no one's days are drawn until asked (a month of 500 people would be 100,000 cells).
    expect(document.querySelectorAll(".reconcile-grid")).toHaveLength(0);
    const third = within(list).getByRole("button", { name: "被保険者番号 1000000003の日ごとの比較" });
    await user.click(third);
    expect(third).toHaveAttribute("aria-expanded", "true");
    expect(screen.getByRole("region", { name: /^被保険者番号 1000000003/ }).querySelector(".reconcile-grid")).not.toBeNull();
    expect(document.querySelectorAll(".reconcile-grid")).toHaveLength(1);
    await user.click(third);
    expect(document.querySelectorAll(".reconcile-grid")).toHaveLength(0);
  });
});
