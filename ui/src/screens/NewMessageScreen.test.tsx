import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { BackendProvider } from "../backend/BackendContext";
import { FakeBackend, apiError } from "../test/fakeBackend";
import { DraftsScreen } from "./DraftsScreen";
import { NewMessageScreen } from "./NewMessageScreen";
import { holdAnswers } from "../test/heldAnswers";
import { sendConfirmed } from "../test/confirmSend";

const USE_SHEET = [
  "/home/user/export/UPPLAN_202505_1370000018_43_1370000026_11_20250425120000.CSV",
  "/home/user/export/UPSIKYU_202505_1370000018_43_1370000026_11_20250425120000.CSV",
];

function renderCompose(backend: FakeBackend) {
  return render(
    <BackendProvider backend={backend}>
      <NewMessageScreen />
    </BackendProvider>,
  );
}

/** Drops `paths`; the destination comes from the files, as the manual says. */
async function drop(backend: FakeBackend, paths = USE_SHEET) {
  await screen.findByTestId("dropzone");
  await act(async () => backend.drop(paths));
}

const SENT_TO_HELP = (files: number) => `送信成功しました（ひまわりヘルパーステーション（1370000026）へ ${files} ファイル）`;

describe("新規作成", () => {
  it("takes the destination from the dropped files, asks before sending and sends", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderCompose(backend);
    const send = screen.getByRole("button", { name: "送信" });
    expect(send).toBeDisabled();
    await drop(backend);
    expect(await screen.findByText(/UPPLAN_202505/)).toBeInTheDocument();
    expect(screen.getAllByRole("img", { name: "問題なし" })).toHaveLength(2);
    expect(await screen.findByText("送信先: ひまわりヘルパーステーション（事業所番号 1370000026、サービス種類 11 訪問介護）")).toBeInTheDocument();
    expect(screen.getByText("送信先はファイルから読み取りました。")).toBeInTheDocument();
    expect(screen.getByLabelText("事業所番号")).toHaveValue("1370000026");
    await user.type(screen.getByLabelText("メッセージ"), "5月分です");

    await user.click(send);
    const dialog = await screen.findByRole("alertdialog", { name: "この内容で送信しますか？" });
    expect(within(dialog).getByText("ひまわりヘルパーステーション（1370000026）")).toBeInTheDocument();
    expect(within(dialog).getByText("2 ファイル")).toBeInTheDocument();
    expect(within(dialog).getByText("5月分です")).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "やめる" }));
    expect(backend.outbox, "やめる sends nothing").toHaveLength(0);

    await sendConfirmed(user);
    expect(await screen.findByText(SENT_TO_HELP(2))).toBeInTheDocument();
    expect(backend.outbox[0].message).toBe("5月分です");
    expect(backend.outbox[0].files).toHaveLength(2);
    expect(screen.queryByText(/UPPLAN_202505/)).not.toBeInTheDocument();
  });

  it("warns with the date when the same files were already sent to that office", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderCompose(backend);
    await drop(backend);
    await sendConfirmed(user);
    expect(await screen.findByText(SENT_TO_HELP(2))).toBeInTheDocument();

    await drop(backend, [USE_SHEET[0]]);
    const send = await screen.findByRole("button", { name: "送信" });
    await waitFor(() => expect(send).toBeEnabled());
    await user.click(send);
    const dialog = await screen.findByRole("alertdialog");
    expect(await within(dialog).findByRole("alert")).toHaveTextContent(/「UPPLAN_202505_1370000018_43_1370000026_11_20250425120000.CSV」は .+ に同じ送信先へ送信済みです/);
    await user.click(within(dialog).getByRole("button", { name: "やめる" }));
    expect(backend.outbox).toHaveLength(1);
  });

  it("shows a typed number that disagrees with the files before 送信, and Enter confirms the field", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderCompose(backend);
    await drop(backend);
    await screen.findByText(/送信先: ひまわりヘルパーステーション/);
    await user.clear(screen.getByLabelText("事業所番号"));
    await user.type(screen.getByLabelText("事業所番号"), "1370000018{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent("入力した事業所番号（1370000018）は、ファイルの送信先（1370000026）と違います");
    expect(screen.getByRole("button", { name: "送信" })).toBeDisabled();
    expect(backend.calls.filter((c) => c === "lookupOffice").length, "Enter looked the typed number up").toBeGreaterThan(0);
  });

  it("explains files for two destinations and hands them to 一括送信", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    let handed: string[] = [];
    render(
      <BackendProvider backend={backend}>
        <NewMessageScreen onToBulk={(paths) => (handed = paths)} />
      </BackendProvider>,
    );
    const toCareManager = "/home/user/export/UPJSK_202505_1370000026_11_1370000018_43_20250425120000.CSV";
    await drop(backend, [USE_SHEET[0], toCareManager]);
    expect(await screen.findByRole("alert")).toHaveTextContent("ファイルの送信先が 2 事業所（1370000018、1370000026）に分かれています");
    expect(screen.getByRole("button", { name: "送信" })).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "一括送信で送る" }));
    expect(handed).toEqual([USE_SHEET[0], toCareManager]);
  });

  it("shows what is wrong with a file and does not send it", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderCompose(backend);
    await drop(backend, [...USE_SHEET, "/home/user/export/UPHOSOKU_BROKEN.CSV"]);
    expect(await screen.findByRole("img", { name: "問題あり" })).toBeInTheDocument();
    expect(screen.getByText(/BOMなしのShift_JISで保存し直してください/)).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("介護ソフトで直して出力し直して");
    expect(screen.getByRole("button", { name: "送信" })).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "UPHOSOKU_BROKEN.CSVを外す" }));
    expect(await screen.findByRole("button", { name: "送信" })).toBeEnabled();
  });

  it("says the same finding on many lines once, with the count and the 利用者", async () => {
    const backend = new FakeBackend();
    renderCompose(backend);
    await drop(backend, ["/home/user/export/UPPLAN_REPEATED.CSV"]);
    expect(await screen.findByText("1・2・3行目ほか（同じ問題が 3 件）: 開始時刻が時刻の形（hhmm）ではありません。")).toBeInTheDocument();
    expect(screen.getByText(/利用者: 山田/)).toBeInTheDocument();
  });

  it("lists an unreadable file with its own 外す, keeps taking files, and sends the rest", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderCompose(backend);
    await drop(backend, ["/home/user/export/UPPLAN_MISSING.CSV"]);
    expect(await screen.findByText(/UPPLAN_MISSING.CSV（読めないファイル）/)).toBeInTheDocument();
    expect(screen.getByText(/が見つかりません。/)).toBeInTheDocument();
    await drop(backend, USE_SHEET);
    expect(await screen.findByText(/UPSIKYU_202505/), "later files are still taken").toBeInTheDocument();
    expect(screen.getByRole("button", { name: "送信" })).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "UPPLAN_MISSING.CSVを外す" }));
    await sendConfirmed(user);
    expect(await screen.findByText(SENT_TO_HELP(2))).toBeInTheDocument();
  });

  it("refuses an unknown destination and shows the relay's refusal of a send", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderCompose(backend);
    await drop(backend, ["/home/user/export/写真.png"]);
    await user.type(screen.getByLabelText("事業所番号"), "1399999999");
    await user.click(screen.getByRole("button", { name: "送信先を確認" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("登録されていません");
    expect(screen.getByRole("button", { name: "送信" })).toBeDisabled();

    await user.clear(screen.getByLabelText("事業所番号"));
    await user.type(screen.getByLabelText("事業所番号"), "1370000026");
    await user.click(screen.getByRole("button", { name: "送信先を確認" }));
    backend.fail.sendFiles = apiError("send.too_many_files", "1回に送れるファイルは 30 個までです。");
    await sendConfirmed(user);
    expect(await screen.findByText(/30 個まで/)).toBeInTheDocument();
    expect(screen.getByText(/写真.png/)).toBeInTheDocument();
  });

  it("saves a draft that 下書き一覧 lists with the 端末名, and reopens it", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderCompose(backend);
    await drop(backend);
    await screen.findByText(/送信先: ひまわりヘルパーステーション/);
    await user.click(await screen.findByRole("button", { name: "一時保存" }));
    expect(await screen.findByText("一時保存しました。下書き一覧から開けます。")).toBeInTheDocument();
    expect(backend.drafts).toHaveLength(1);

    let opened = null as unknown;
    let toBulk = null as unknown;
    render(
      <BackendProvider backend={backend}>
        <DraftsScreen onOpen={(id) => (opened = id)} onToBulk={(id) => (toBulk = id)} />
      </BackendProvider>,
    );
    const row = await screen.findByTestId("draft-d1");
    expect(within(row).getByText("受付PC")).toBeInTheDocument();
    expect(within(row).getByText("ひまわりヘルパーステーション")).toBeInTheDocument();
    await user.click(within(row).getByRole("button", { name: "開く" }));
    expect(opened).toBe("d1");
    await user.click(within(row).getByRole("button", { name: "一括送信へ" }));
    expect(toBulk).toBe("d1");
  });
});

describe("下書き一覧", () => {
  function renderDrafts(backend: FakeBackend) {
    return render(
      <BackendProvider backend={backend}>
        <DraftsScreen onOpen={() => undefined} />
      </BackendProvider>,
    );
  }

  it("sends a draft after the confirmation, deletes one after asking, and shows an empty list", async () => {
    const backend = new FakeBackend();
    await backend.saveDraft(null, "1370000026", "送る下書き", USE_SHEET);
    await backend.saveDraft(null, "1370000026", "消す下書き", USE_SHEET);
    const user = userEvent.setup();
    renderDrafts(backend);
    await user.click(within(await screen.findByTestId("draft-d1")).getByRole("button", { name: "送信" }));
    const sendDialog = await screen.findByRole("alertdialog", { name: "この内容で送信しますか？" });
    expect(within(sendDialog).getByText("2 ファイル")).toBeInTheDocument();
    await waitFor(() => expect(within(sendDialog).getByRole("button", { name: "送信する" })).toBeEnabled());
    await user.click(within(sendDialog).getByRole("button", { name: "送信する" }));
    expect(await screen.findByText("送信成功しました")).toBeInTheDocument();
    expect(backend.outbox[0].message).toBe("送る下書き");

    await user.click(within(await screen.findByTestId("draft-d2")).getByRole("button", { name: "削除" }));
    const deleteDialog = await screen.findByRole("alertdialog", { name: "この下書きを削除しますか？" });
    expect(within(deleteDialog).getByRole("button", { name: "やめる" }), "the safe answer has the focus").toHaveFocus();
    await user.click(within(deleteDialog).getByRole("button", { name: "削除" }));
    expect(await screen.findByText("下書きはありません。")).toBeInTheDocument();
  });

  it("says what each draft holds and whom it is about, and nothing for a draft of attachments only", async () => {
    const backend = new FakeBackend();
    await backend.saveDraft(null, "1370000026", "5月分", USE_SHEET);
    await backend.saveDraft(null, "1370000026", "添付だけ", ["/home/user/export/主治医意見書.pdf"]);
    renderDrafts(backend);
    const row = await screen.findByTestId("draft-d1");
    expect(await within(row).findByText("サービス利用票（予定）2025年5月分")).toBeInTheDocument();
    expect(within(row).getByText("利用者: 山田　花子", { normalizer: (s) => s })).toBeInTheDocument();
    expect(screen.getByRole("columnheader", { name: "内容・利用者" })).toBeInTheDocument();
    const attachments = await screen.findByTestId("draft-d2");
    await waitFor(() => expect(within(attachments).queryByText("確認中…")).not.toBeInTheDocument());
    expect(within(attachments).queryByText(/利用者:|サービス利用票/)).not.toBeInTheDocument();
  });

  it("keeps a draft when deleting is not confirmed, and shows a failure", async () => {
    const backend = new FakeBackend();
    await backend.saveDraft(null, "1370000026", "残す", USE_SHEET);
    const user = userEvent.setup();
    renderDrafts(backend);
    await user.click(within(await screen.findByTestId("draft-d1")).getByRole("button", { name: "削除" }));
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(backend.drafts).toHaveLength(1);
    backend.fail.sendDraft = apiError("connection.failed", "連携基盤に接続できません。");
    await user.click(within(screen.getByTestId("draft-d1")).getByRole("button", { name: "送信" }));
    const dialog = await screen.findByRole("alertdialog");
    await waitFor(() => expect(within(dialog).getByRole("button", { name: "送信する" })).toBeEnabled());
    await user.click(within(dialog).getByRole("button", { name: "送信する" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("接続できません");
  });

  it("marks a broken draft, which cannot be sent as it is", async () => {
    const backend = new FakeBackend();
    await backend.saveDraft(null, "1370000026", "壊れた", ["/home/user/export/UPHOSOKU_BROKEN.CSV"]);
    renderDrafts(backend);
    const row = await screen.findByTestId("draft-d1");
    expect(await within(row).findByText("標準仕様に合わないファイルがあります。「開く」で確かめてください。")).toBeInTheDocument();
    expect(within(row).getByRole("button", { name: "送信" })).toBeDisabled();
  });
});

describe("新規作成 with checks that answer out of order", () => {
  const GOOD = USE_SHEET[0];
  const OTHER = USE_SHEET[1];
  const BROKEN = "/home/user/export/UPHOSOKU_BROKEN.CSV";

  it("decides only on the check of the files as they are now, whichever answer arrives first", async () => {
    const backend = new FakeBackend();
    const checks = holdAnswers(backend, "checkFiles");
    const user = userEvent.setup();
    renderCompose(backend);
    await drop(backend, [GOOD]);
    await user.type(screen.getByLabelText("事業所番号"), "1370000026{Enter}");
    await act(async () => backend.drop([BROKEN]));
    expect(checks.map((c) => c.args[0])).toEqual([[GOOD], [GOOD, BROKEN]]);
    expect(screen.getByText("ファイルを確認しています…")).toBeInTheDocument();

    // The check of the old list (all good) arrives first: the broken file is still unchecked.
    await act(() => checks[0].release());
    expect(await screen.findByText(/送信先: ひまわりヘルパーステーション/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "送信" })).toBeDisabled();
    await act(() => checks[1].release());
    expect(await screen.findByRole("alert")).toHaveTextContent("標準仕様に合わないファイルがあります");
    expect(screen.getByRole("button", { name: "送信" })).toBeDisabled();

    // The broken file removed, another added; the newer check answers first, the older one late.
    await user.click(screen.getByRole("button", { name: "UPHOSOKU_BROKEN.CSVを外す" }));
    await act(async () => backend.drop([OTHER]));
    expect(checks.slice(2).map((c) => c.args[0])).toEqual([[GOOD], [GOOD, OTHER]]);
    await act(() => checks[3].release());
    expect(await screen.findByText(/UPSIKYU_202505/)).toBeInTheDocument();
    await act(() => checks[2].release());
    expect(screen.getByText(/UPSIKYU_202505/), "the late answer about [GOOD] changes nothing").toBeInTheDocument();
    expect(screen.getAllByRole("img", { name: "問題なし" })).toHaveLength(2);
    expect(screen.getByRole("button", { name: "送信" })).toBeEnabled();
  });
});
