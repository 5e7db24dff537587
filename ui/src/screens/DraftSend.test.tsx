// A draft sent from 新規作成 or 一括送信 leaves 下書き一覧 because the relay removes it with the send
// (one transaction), not because the screen deletes it afterwards.
import { screen, within } from "@testing-library/react";
import userEvent, { type UserEvent } from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { FakeBackend, apiError } from "../test/fakeBackend";
import { HOME_HELP_LOGIN, logIn, renderApp } from "../test/renderApp";
import { sendConfirmed } from "../test/confirmSend";

const TO_CARE_MANAGER = "/x/UPJSK_202505_1370000026_11_1370000018_43_20250531180000.CSV";
const TO_UNKNOWN = "/x/UPJSK_202505_1370000026_11_1390000095_15_20250531180000.CSV";

async function openDrafts(user: UserEvent) {
  await user.click(screen.getByRole("tab", { name: "下書き一覧" }));
}

async function withDraft(to: string, paths: string[]) {
  const backend = new FakeBackend();
  await backend.saveDraft(null, to, "下書きのメッセージ", paths);
  const user = userEvent.setup();
  renderApp(backend);
  await logIn(user, "right-pass", HOME_HELP_LOGIN);
  await openDrafts(user);
  return { backend, user, row: await screen.findByTestId("draft-d1") };
}

describe("a draft opened in 新規作成", () => {
  it("is gone from 下書き一覧 once sent, with no call to delete it", async () => {
    const { backend, user, row } = await withDraft("1370000018", [TO_CARE_MANAGER]);
    await user.click(within(row).getByRole("button", { name: "開く" }));
    expect(await screen.findByText("下書きを編集しています。")).toBeInTheDocument();
    await sendConfirmed(user);
    expect(await screen.findByText(/送信成功しました/)).toBeInTheDocument();

    await openDrafts(user);
    expect(await screen.findByText("下書きはありません。")).toBeInTheDocument();
    expect(backend.outbox[0].message).toBe("下書きのメッセージ");
    expect(backend.calls).not.toContain("deleteDraft");
  });

  it("stays in 下書き一覧 when the send fails", async () => {
    const { backend, user, row } = await withDraft("1370000018", [TO_CARE_MANAGER]);
    await user.click(within(row).getByRole("button", { name: "開く" }));
    backend.fail.sendFiles = apiError("connection.failed", "連携基盤に接続できません。");
    await sendConfirmed(user);
    expect(await screen.findByText(/連携基盤に接続できません。/)).toBeInTheDocument();

    await openDrafts(user);
    expect(await screen.findByTestId("draft-d1")).toHaveTextContent("下書きのメッセージ");
    expect(backend.outbox).toHaveLength(0);
  });
});

describe("a draft switched to 一括送信", () => {
  it("is gone from 下書き一覧 once its destination has been sent to, with no call to delete it", async () => {
    const { backend, user, row } = await withDraft("1370000018", [TO_CARE_MANAGER, "/x/写真.png"]);
    await user.click(within(row).getByRole("button", { name: "一括送信へ" }));
    await screen.findByTestId("destination-1370000018");
    await user.click(screen.getByRole("button", { name: "一括送信" }));
    expect(await screen.findByText("ひだまり居宅介護支援事業所（1370000018）: 成功（2 ファイル）")).toBeInTheDocument();
    expect(backend.bulkSends[0].fromDraft).toBe("d1");

    await openDrafts(user);
    expect(await screen.findByText("下書きはありません。")).toBeInTheDocument();
    expect(backend.calls).not.toContain("deleteDraft");
  });

  it("stays in 下書き一覧 when its destination could not be sent to", async () => {
    const { backend, user, row } = await withDraft("1390000095", [TO_UNKNOWN]);
    await user.click(within(row).getByRole("button", { name: "一括送信へ" }));
    await screen.findByTestId("destination-1390000095");
    await user.click(screen.getByRole("button", { name: "一括送信" }));
    const results = await screen.findByRole("region", { name: "一括送信の結果" });
    expect(within(results).getByText(/1390000095.*登録されていません/)).toBeInTheDocument();

    await openDrafts(user);
    expect(await screen.findByTestId("draft-d1")).toBeInTheDocument();
    expect(backend.bulkSends[0].fromDraft).toBe("d1");
  });
});

describe("下書き一覧's 保存者", () => {
  it("says who saved each draft", async () => {
    const backend = new FakeBackend();
    backend.drafts = [
      { id: "d1", saved_at: "2025-05-02T09:00:00+09:00", terminal_name: "受付PC", to: "1370000018", to_office: null, message: "", files: [], paths: [], saved_by: { id: "c1370000026k2mp", name: "佐藤 一郎" } },
      { id: "d2", saved_at: "2025-05-01T09:00:00+09:00", terminal_name: "事務室PC", to: "1370000018", to_office: null, message: "", files: [], paths: [] },
    ];
    const user = userEvent.setup();
    renderApp(backend);
    await logIn(user, "right-pass", HOME_HELP_LOGIN);
    await openDrafts(user);
    expect(await screen.findByRole("columnheader", { name: "保存者" })).toBeInTheDocument();
    expect(within(await screen.findByTestId("draft-d1")).getByText("佐藤 一郎（c1370000026k2mp）")).toBeInTheDocument();
    expect(within(screen.getByTestId("draft-d2")).getByText("－")).toBeInTheDocument();
  });
});

describe("下書き一覧's ファイル種別", () => {
  it("says what each file is in words beside 登録 or 削除, as the lists of messages do", async () => {
    const backend = new FakeBackend();
    backend.drafts = [
      {
        id: "d1",
        saved_at: "2025-05-02T09:00:00+09:00",
        terminal_name: "受付PC",
        to: "1370000018",
        to_office: null,
        message: "",
        files: [
          { id: "f1", name: "UPPLAN_202504_1370000026_11_1370000018_43_20250325120000.CSV", category: "register", size: 10, sha256: "0".repeat(64) },
          { id: "f2", name: "メモ.pdf", category: "attachment", size: 10, sha256: "1".repeat(64) },
        ],
        paths: [],
      },
    ];
    const user = userEvent.setup();
    renderApp(backend);
    await logIn(user, "right-pass", HOME_HELP_LOGIN);
    await openDrafts(user);
    const row = await screen.findByTestId("draft-d1");
    expect(await within(row).findByText("登録・サービス利用票（第6表）予定")).toBeInTheDocument();
    expect(within(row).getByText("PDF等")).toBeInTheDocument();
  });
});
