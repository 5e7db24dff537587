import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { BackendProvider } from "../backend/BackendContext";
import { FakeBackend, apiError } from "../test/fakeBackend";
import { DraftsScreen } from "./DraftsScreen";
import { NewMessageScreen } from "./NewMessageScreen";
import { holdAnswers } from "../test/heldAnswers";

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

async function dropAndConfirm(backend: FakeBackend, user: ReturnType<typeof userEvent.setup>, paths = USE_SHEET) {
  await screen.findByTestId("dropzone");
  await act(async () => backend.drop(paths));
  await user.type(screen.getByLabelText("事業所番号"), "1370000026");
  await user.click(screen.getByRole("button", { name: "送信先を確認" }));
}

describe("新規作成", () => {
  it("checks dropped files, confirms the destination and sends", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderCompose(backend);
    const send = screen.getByRole("button", { name: "送信" });
    expect(send).toBeDisabled();
    await dropAndConfirm(backend, user);
    expect(await screen.findByText(/UPPLAN_202505/)).toBeInTheDocument();
    expect(screen.getAllByRole("img", { name: "問題なし" })).toHaveLength(2);
    expect(await screen.findByText("送信先: ひまわりヘルパーステーション（事業所番号 1370000026、サービス種類 11 訪問介護）")).toBeInTheDocument();
    await user.type(screen.getByLabelText("メッセージ"), "5月分です");
    await user.click(send);
    expect(await screen.findByText("送信成功しました")).toBeInTheDocument();
    expect(backend.outbox[0].message).toBe("5月分です");
    expect(backend.outbox[0].files).toHaveLength(2);
    expect(screen.queryByText(/UPPLAN_202505/)).not.toBeInTheDocument();
  });

  it("shows what is wrong with a file and does not send it", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderCompose(backend);
    await dropAndConfirm(backend, user, [...USE_SHEET, "/home/user/export/UPHOSOKU_BROKEN.CSV"]);
    expect(await screen.findByRole("img", { name: "問題あり" })).toBeInTheDocument();
    expect(screen.getByText(/BOMなしのShift_JISで保存し直してください/)).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("標準仕様に合わないファイルがあります");
    expect(screen.getByRole("button", { name: "送信" })).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "UPHOSOKU_BROKEN.CSVを外す" }));
    expect(await screen.findByRole("button", { name: "送信" })).toBeEnabled();
  });

  it("refuses an unknown destination and shows the relay's refusal of a send", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderCompose(backend);
    await screen.findByTestId("dropzone");
    await act(async () => backend.drop(USE_SHEET));
    await user.type(screen.getByLabelText("事業所番号"), "1399999999");
    await user.click(screen.getByRole("button", { name: "送信先を確認" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("登録されていません");
    expect(screen.getByRole("button", { name: "送信" })).toBeDisabled();

    await user.clear(screen.getByLabelText("事業所番号"));
    await user.type(screen.getByLabelText("事業所番号"), "1370000026");
    await user.click(screen.getByRole("button", { name: "送信先を確認" }));
    backend.fail.sendFiles = apiError("send.too_many_files", "1回に送れるファイルは 30 個までです。");
    await user.click(await screen.findByRole("button", { name: "送信" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("30 個まで");
    expect(screen.getByText(/UPPLAN_202505/)).toBeInTheDocument();
  });

  it("saves a draft that 下書き一覧 lists with the 端末名, and reopens it", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderCompose(backend);
    await dropAndConfirm(backend, user);
    await user.click(await screen.findByRole("button", { name: "一時保存" }));
    expect(await screen.findByText("一時保存しました。下書き一覧から開けます。")).toBeInTheDocument();
    expect(backend.drafts).toHaveLength(1);

    let opened = null as unknown;
    let toBulk = null as unknown;
    render(
      <BackendProvider backend={backend}>
        <DraftsScreen onOpen={(d) => (opened = d)} onToBulk={(d) => (toBulk = d)} confirm={() => true} />
      </BackendProvider>,
    );
    const row = await screen.findByTestId("draft-d1");
    expect(within(row).getByText("受付PC")).toBeInTheDocument();
    expect(within(row).getByText("ひまわりヘルパーステーション")).toBeInTheDocument();
    await user.click(within(row).getByRole("button", { name: "開く" }));
    expect(opened).toMatchObject({ draft: { id: "d1" }, paths: USE_SHEET });
    await user.click(within(row).getByRole("button", { name: "一括送信へ" }));
    expect(toBulk).toMatchObject({ draft: { id: "d1" } });
  });
});

describe("下書き一覧", () => {
  it("sends and deletes drafts, and shows an empty list", async () => {
    const backend = new FakeBackend();
    await backend.saveDraft(null, "1370000026", "送る下書き", USE_SHEET);
    await backend.saveDraft(null, "1370000026", "消す下書き", USE_SHEET);
    const user = userEvent.setup();
    render(
      <BackendProvider backend={backend}>
        <DraftsScreen onOpen={() => undefined} confirm={() => true} />
      </BackendProvider>,
    );
    await user.click(within(await screen.findByTestId("draft-d1")).getByRole("button", { name: "送信" }));
    expect(await screen.findByText("送信成功しました")).toBeInTheDocument();
    expect(backend.outbox[0].message).toBe("送る下書き");
    await user.click(within(await screen.findByTestId("draft-d2")).getByRole("button", { name: "削除" }));
    expect(await screen.findByText("下書きはありません。")).toBeInTheDocument();
  });

  it("keeps a draft when deleting is not confirmed, and shows a failure", async () => {
    const backend = new FakeBackend();
    await backend.saveDraft(null, "1370000026", "残す", USE_SHEET);
    const user = userEvent.setup();
    render(
      <BackendProvider backend={backend}>
        <DraftsScreen onOpen={() => undefined} confirm={() => false} />
      </BackendProvider>,
    );
    await user.click(within(await screen.findByTestId("draft-d1")).getByRole("button", { name: "削除" }));
    expect(backend.drafts).toHaveLength(1);
    backend.fail.sendDraft = apiError("connection.failed", "連携基盤に接続できません。");
    await user.click(within(screen.getByTestId("draft-d1")).getByRole("button", { name: "送信" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("接続できません");
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
    await dropAndConfirm(backend, user, [GOOD]);
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
