import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { BackendProvider } from "../backend/BackendContext";
import { FakeBackend, HOME_HELP, apiError, file, message } from "../test/fakeBackend";
import { MessageList } from "./MessageList";

function renderList(backend: FakeBackend, mailbox: "inbox" | "outbox" = "inbox") {
  return render(
    <BackendProvider backend={backend}>
      <MessageList mailbox={mailbox} saveFolder="/home/user/受信" />
    </BackendProvider>,
  );
}

function inboxWithTwo(backend: FakeBackend) {
  backend.inbox = [
    message("m1", [file("f1", "UPPLAN_202504_1370000018_43_1370000026_11_20250325120000.CSV"), file("f2", "主治医意見書.pdf")], "4月分です"),
    message("m2", [file("f3", "UPJSK_202504_1370000018_43_1370000026_11_20250430180000.CSV", true)], "先月分"),
  ];
}

/** Two unfetched messages and one fetched. */
function inboxWithThree() {
  return [
    message("m1", [file("f1", "UPPLAN_202504_1370000018_43_1370000026_11_20250325120000.CSV")], "4月分です"),
    message("m2", [file("f3", "UPJSK_202504_1370000018_43_1370000026_11_20250430180000.CSV", true)], "先月分"),
    message("m3", [file("f4", "主治医意見書.pdf")], "意見書です"),
  ];
}

describe("保存期限", () => {
  it("shows a file whose content expired untaken as 期限切れ, not to be fetched, and why", async () => {
    const backend = new FakeBackend();
    backend.inbox = [message("m1", [{ ...file("f1", "UPPLAN_202504_1370000018_43_1370000026_11_20250325120000.CSV"), expired_at: "2025-05-24T10:00:00+09:00" }], "4月分です")];
    renderList(backend);
    const row = await screen.findByTestId("message-m1");
    expect(within(row).getByText("期限切れ")).toBeInTheDocument();
    expect(within(row).getByText("2025/05/24 に保存期間が過ぎて削除されました。必要なときは送信元に再送を依頼してください。")).toBeInTheDocument();
    expect(row).not.toHaveClass("unfetched");
    expect(within(row).getByRole("checkbox")).toBeDisabled();
  });

  it("tells the sender until when a file not yet taken is kept, and when it expired", async () => {
    const backend = new FakeBackend();
    backend.outbox = [
      message("m1", [
        { ...file("f1", "UPPLAN_202504_1370000026_11_1370000018_43_20250325120000.CSV"), expires_at: "2025-05-24T10:00:00+09:00" },
        { ...file("f2", "UPSIKYU_202504_1370000026_11_1370000018_43_20250325120000.CSV"), expired_at: "2025-05-24T10:00:00+09:00" },
      ]),
    ];
    renderList(backend, "outbox");
    const row = await screen.findByTestId("message-m1");
    expect(within(row).getByText("（2025/05/24 まで保存）")).toBeInTheDocument();
    expect(within(row).getByText(/相手先が取得しないまま、2025\/05\/24 に保存期間が過ぎて削除されました/)).toBeInTheDocument();
  });
});

describe("受信一覧", () => {
  it("shows the columns, and unfetched rows pale green", async () => {
    const backend = new FakeBackend();
    inboxWithTwo(backend);
    renderList(backend);
    for (const column of ["受信日時", "メッセージ", "送信元事業所", "ファイル名", "ファイル種別", "バージョン", "データ取得状況"]) {
      expect(await screen.findByRole("columnheader", { name: column })).toBeInTheDocument();
    }
    const unfetched = screen.getByTestId("message-m1");
    expect(unfetched).toHaveClass("unfetched");
    expect(within(unfetched).getByText("ひだまり居宅介護支援事業所")).toBeInTheDocument();
    expect(within(unfetched).getByText("PDF等")).toBeInTheDocument();
    expect(await within(unfetched).findByText("サービス種類 43 居宅介護支援")).toBeInTheDocument();
    expect(within(unfetched).getByText("202407")).toBeInTheDocument();
    expect(within(unfetched).getAllByText("未")).toHaveLength(2);
    const fetched = screen.getByTestId("message-m2");
    expect(fetched).not.toHaveClass("unfetched");
    const box = within(fetched).getByRole("checkbox");
    expect(box).toBeDisabled();
    expect(box).toHaveAttribute("title", "取得済みのため、もう一度取得することはできません。");
  });

  it("says what each message is and whom it is about, as the relay derived it; nothing for attachments alone", async () => {
    const backend = new FakeBackend();
    const plan = { serial: "20250401093000", title: "居宅サービス計画書 第1〜3表", people: ["山田　花子", "保険者番号 131016・被保険者番号 0000067890"] };
    const useSheet = { serial: "20250325120000", title: "サービス利用票（予定）2025年4月分", people: ["山田　花子"] };
    backend.inbox = [
      message("m1", [file("f1", "UP1KYO_1370000018_43_1370000026_11_20250401093000.CSV"), file("f2", "UPPLAN_202504_1370000018_43_1370000026_11_20250325120000.CSV")], "", undefined, [useSheet, plan]),
      message("m2", [file("f3", "主治医意見書.pdf")], "意見書です"),
    ];
    renderList(backend);
    expect(await screen.findByRole("columnheader", { name: "内容・利用者" })).toBeInTheDocument();
    const row = screen.getByTestId("message-m1");
    const items = within(row).getAllByRole("listitem").filter((li) => li.closest(".unit-contents"));
    expect(items.map((li) => li.textContent)).toEqual([
      "サービス利用票（予定）2025年4月分利用者: 山田　花子",
      "居宅サービス計画書 第1〜3表利用者: 山田　花子、保険者番号 131016・被保険者番号 0000067890",
    ]);
    expect(screen.getByTestId("message-m2").querySelector(".unit-contents")).toBeNull();
  });

  it("names three 利用者 of a unit and counts the rest", async () => {
    const backend = new FakeBackend();
    const people = ["山田　花子", "佐藤　一郎", "鈴木　恵", "田中　次郎", "高橋　三郎"];
    backend.inbox = [message("m1", [file("f1", "UPJSK_202504_1370000026_11_1370000018_43_20250430180000.CSV")], "", undefined, [{ serial: "20250430180000", title: "実績 2025年4月分", people }])];
    renderList(backend);
    const row = await screen.findByTestId("message-m1");
    expect(row.querySelector(".unit-contents")).toHaveTextContent("利用者: 山田　花子、佐藤　一郎、鈴木　恵 ほか 2 人", { normalizeWhitespace: false });
  });

  it("fetches the selected rows into the chosen folder; they turn white", async () => {
    const backend = new FakeBackend();
    inboxWithTwo(backend);
    const user = userEvent.setup();
    renderList(backend);
    const row = await screen.findByTestId("message-m1");
    await user.click(within(row).getByRole("checkbox"));
    expect(row).toHaveClass("selected");
    await user.click(screen.getByRole("button", { name: "データ取得" }));
    expect(await screen.findByText("2 件のファイルを /home/user/受信 に保存しました。")).toBeInTheDocument();
    expect(backend.calls).toContain("chooseFolder");
    const after = screen.getByTestId("message-m1");
    expect(after).not.toHaveClass("unfetched");
    expect(within(after).getByRole("checkbox")).toBeDisabled();
    expect(within(after).getAllByText(/^済/)).toHaveLength(2);
  });

  it("reaches データ取得 with Tab straight after the last row's checkbox, and fetches with Enter", async () => {
    const backend = new FakeBackend();
    backend.inbox = inboxWithThree();
    const user = userEvent.setup();
    renderList(backend);
    const last = within(await screen.findByTestId("message-m3")).getByRole("checkbox");
    last.focus();
    await user.keyboard(" ");
    expect(screen.getByTestId("message-m3")).toHaveClass("selected");
    await user.tab();
    const fetch = screen.getByRole("button", { name: "データ取得" });
    expect(fetch).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(await screen.findByText(/件のファイルを \/home\/user\/受信 に保存しました。/)).toBeInTheDocument();
  });

  it("selects a row by a click anywhere on it, all unfetched rows with 全選択, and names each file's kind", async () => {
    const backend = new FakeBackend();
    backend.inbox = [...inboxWithThree()];
    const user = userEvent.setup();
    renderList(backend);
    const row = await screen.findByTestId("message-m1");
    await user.click(within(row).getByText("4月分です"));
    expect(row).toHaveClass("selected");
    expect(screen.getByText("1 件を選択中")).toBeInTheDocument();
    await user.click(within(row).getByText("4月分です"));
    expect(row).not.toHaveClass("selected");

    const all = screen.getByRole("checkbox", { name: "未取得をすべて選択" });
    await user.click(all);
    expect(screen.getByTestId("message-m1")).toHaveClass("selected");
    expect(screen.getByTestId("message-m3")).toHaveClass("selected");
    expect(screen.getByTestId("message-m2"), "a fetched row cannot be selected").not.toHaveClass("selected");
    expect(screen.getByText("2 件を選択中")).toBeInTheDocument();
    await user.click(all);
    expect(screen.queryByText(/件を選択中/)).not.toBeInTheDocument();
    expect(await within(row).findByText("登録・サービス利用票（第6表）予定")).toBeInTheDocument();
  });

  it("says once, before the office's first fetch, that データ取得 works once; afterwards offers フォルダを開く and counts identical files", async () => {
    const backend = new FakeBackend();
    backend.inbox = [message("m1", [file("f1", "UPPLAN_SAME_202504_1370000018_43_1370000026_11_20250325120000.CSV"), file("f2", "主治医意見書.pdf")], "4月分です")];
    const user = userEvent.setup();
    render(
      <BackendProvider backend={backend}>
        <MessageList mailbox="inbox" saveFolder="/home/user/受信" fetchExplained={false} />
      </BackendProvider>,
    );
    expect(await screen.findByRole("note")).toHaveTextContent("データ取得は1回だけです");
    await user.click(await screen.findByTestId("message-m1"));
    await user.click(screen.getByRole("button", { name: "データ取得" }));
    expect(await screen.findByText(/2 件のファイルを取得しました（\/home\/user\/受信）。うち 1 件は同じ内容のファイルが保存先にすでにあったため/)).toBeInTheDocument();
    expect(screen.queryByRole("note"), "the note has done its job").not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "フォルダを開く" }));
    expect(backend.openedFolders).toEqual(["/home/user/受信"]);
  });

  it("asks for a selection, respects a cancelled folder dialog, and shows a failure", async () => {
    const backend = new FakeBackend();
    inboxWithTwo(backend);
    const user = userEvent.setup();
    renderList(backend);
    await screen.findByTestId("message-m1");
    await user.click(screen.getByRole("button", { name: "データ取得" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("取得するデータを選んでください。");

    await user.click(within(screen.getByTestId("message-m1")).getByRole("checkbox"));
    backend.folder = null;
    await user.click(screen.getByRole("button", { name: "データ取得" }));
    expect(backend.calls).not.toContain("fetchFiles");

    backend.folder = "/home/user/受信";
    backend.fail.fetchFiles = apiError("connection.failed", "連携基盤に接続できません。");
    await user.click(screen.getByRole("button", { name: "データ取得" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("連携基盤に接続できません。");
    expect(screen.getByTestId("message-m1")).toHaveClass("selected");
  });

  it("shows empty, loading-failed and paged lists", async () => {
    const empty = new FakeBackend();
    renderList(empty);
    expect(await screen.findByText("データはありません。")).toBeInTheDocument();
  });

  it("shows an error when the list cannot be loaded", async () => {
    const backend = new FakeBackend();
    backend.fail.listMessages = apiError("session.required", "ログインしていません。");
    renderList(backend);
    expect(await screen.findByRole("alert")).toHaveTextContent("ログインしていません。");
  });

  it("pages through 10,000 messages fifty at a time", async () => {
    const backend = new FakeBackend();
    backend.inbox = Array.from({ length: 10_000 }, (_, i) => message(`m${i}`, [file(`f${i}`, `資料${i}.pdf`)]));
    const user = userEvent.setup();
    renderList(backend);
    expect(await screen.findByText("1 / 200 ページ（全 10000 件）")).toBeInTheDocument();
    expect(screen.getAllByRole("row")).toHaveLength(51);
    await user.click(screen.getByRole("button", { name: "次へ" }));
    expect(await screen.findByText("2 / 200 ページ（全 10000 件）")).toBeInTheDocument();
    expect(screen.getByTestId("message-m50")).toBeInTheDocument();
  });
});

describe("送信一覧", () => {
  it("shows ダウンロード状況 and no fetch button", async () => {
    const backend = new FakeBackend();
    backend.outbox = [message("o1", [file("g1", "UPPLAN_x.CSV", true), file("g2", "UPSIKYU_x.CSV")], "5月分", HOME_HELP)];
    renderList(backend, "outbox");
    expect(await screen.findByRole("columnheader", { name: "ダウンロード状況" })).toBeInTheDocument();
    expect(screen.getByRole("columnheader", { name: "送信先事業所" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "データ取得" })).not.toBeInTheDocument();
    const row = screen.getByTestId("message-o1");
    expect(within(row).getByText("ひまわりヘルパーステーション")).toBeInTheDocument();
    expect(within(row).getByText("未")).toBeInTheDocument();
    expect(within(row).getByText(/^済 2025\/05\/01 10:00/)).toBeInTheDocument();
  });

  it("saves the 受領証 of a file the partner took; a file not yet taken offers none", async () => {
    const backend = new FakeBackend();
    backend.outbox = [message("o1", [file("g1", "UPPLAN_x.CSV", true), file("g2", "UPSIKYU_x.CSV")], "5月分", HOME_HELP)];
    const user = userEvent.setup();
    renderList(backend, "outbox");
    const row = await screen.findByTestId("message-o1");
    expect(within(row).queryByRole("button", { name: "「UPSIKYU_x.CSV」の受領証を保存" })).toBeNull();
    await user.click(within(row).getByRole("button", { name: "「UPPLAN_x.CSV」の受領証を保存" }));
    expect(await screen.findByRole("status")).toHaveTextContent("受領証を保存しました: /home/user/受領証/受領証.json");
    expect(backend.receiptsSaved).toEqual(["g1"]);
    // Cancelled in the dialog: nothing said, nothing saved.
    backend.receiptSavedAs = null;
    await user.click(within(row).getByRole("button", { name: "「UPPLAN_x.CSV」の受領証を保存" }));
    await waitFor(() => expect(screen.queryByRole("status")).toBeNull());
    expect(backend.receiptsSaved).toEqual(["g1"]);
    // The relay refuses (the session ended): the reason is shown.
    backend.fail.saveReceipt = apiError("session.required", "ログインしていません。ログインしてからもう一度操作してください。");
    await user.click(within(row).getByRole("button", { name: "「UPPLAN_x.CSV」の受領証を保存" }));
    expect(await screen.findByText(/ログインしていません/)).toBeInTheDocument();
  });

  it("says who of the office sent each message, by name and 個人ユーザID", async () => {
    const backend = new FakeBackend();
    backend.outbox = [
      { ...message("o1", [file("g1", "UPPLAN_x.CSV")], "", HOME_HELP), sent_by: { id: "c1370000018k2mp", name: "田中 太郎" } },
      { ...message("o2", [file("g2", "UPPLAN_y.CSV")], "", HOME_HELP), sent_by: { id: "c1370000018a", name: "" } },
      message("o3", [file("g3", "UPPLAN_z.CSV")], "", HOME_HELP),
    ];
    renderList(backend, "outbox");
    expect(await screen.findByRole("columnheader", { name: "送信者" })).toBeInTheDocument();
    expect(within(screen.getByTestId("message-o1")).getByText("田中 太郎（c1370000018k2mp）")).toBeInTheDocument();
    expect(within(screen.getByTestId("message-o2")).getByText("c1370000018a")).toBeInTheDocument();
    expect(within(screen.getByTestId("message-o3")).getByText("－")).toBeInTheDocument();
  });
});

describe("受信一覧 and 送信者", () => {
  it("shows no 送信者 column: another office's staff are not shown", async () => {
    const backend = new FakeBackend();
    backend.inbox = [message("i1", [file("f1", "UPJSK_x.CSV")], "", HOME_HELP)];
    renderList(backend, "inbox");
    expect(await screen.findByRole("columnheader", { name: "送信元事業所" })).toBeInTheDocument();
    expect(screen.queryByRole("columnheader", { name: "送信者" })).not.toBeInTheDocument();
  });
});
