// What is composed stays while the app runs, and what would drop it asks first.
import { act, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { FakeBackend } from "../test/fakeBackend";
import { HOME_HELP_LOGIN, logIn, renderApp } from "../test/renderApp";

const TO_CARE_MANAGER = "/x/UPJSK_202505_1370000026_11_1370000018_43_20250531180000.CSV";

async function composeSomething(backend: FakeBackend, user: ReturnType<typeof userEvent.setup>) {
  renderApp(backend);
  await logIn(user, "right-pass", HOME_HELP_LOGIN);
  await user.click(screen.getByRole("tab", { name: "新規作成" }));
  await screen.findByTestId("dropzone");
  await act(async () => backend.drop([TO_CARE_MANAGER]));
  await screen.findByText(/送信先: ひだまり居宅介護支援事業所/);
  await user.type(screen.getByLabelText("メッセージ"), "実績です");
}

describe("work in progress", () => {
  it("is kept across tab switches: files, destination and message", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    await composeSomething(backend, user);
    await user.click(screen.getByRole("tab", { name: "受信一覧" }));
    await user.click(screen.getByRole("tab", { name: "新規作成" }));
    expect(await screen.findByText(/UPJSK_202505/)).toBeInTheDocument();
    expect(screen.getByLabelText("メッセージ")).toHaveValue("実績です");
    expect(screen.getByLabelText("事業所番号")).toHaveValue("1370000018");
  });

  it("makes ログアウト ask: やめる keeps it, 一時保存して進む saves a draft and logs out", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    await composeSomething(backend, user);
    await user.click(screen.getByRole("button", { name: "ログアウト" }));
    const dialog = await screen.findByRole("alertdialog", { name: "作成中の内容があります" });
    expect(dialog).toHaveTextContent("作成中の内容は消えます。一時保存しますか？");
    await user.click(within(dialog).getByRole("button", { name: "キャンセル" }));
    expect(screen.getByRole("button", { name: "ログアウト" }), "still logged in").toBeInTheDocument();
    expect(screen.getByLabelText("メッセージ")).toHaveValue("実績です");

    await user.click(screen.getByRole("button", { name: "ログアウト" }));
    await user.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "一時保存して進む" }));
    expect(await screen.findByRole("heading", { name: "個人ユーザIDでログイン" })).toBeInTheDocument();
    expect(backend.drafts).toHaveLength(1);
    expect(backend.drafts[0].message).toBe("実績です");
  });

  it("is gone after ログアウト without saving, for the next office", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    await composeSomething(backend, user);
    await user.click(screen.getByRole("button", { name: "ログアウト" }));
    await user.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "保存せずに進む" }));
    await logIn(user, "right-pass");
    await user.click(screen.getByRole("tab", { name: "新規作成" }));
    await screen.findByTestId("dropzone");
    expect(screen.queryByText(/UPJSK_202505/)).not.toBeInTheDocument();
    expect(screen.getByLabelText("メッセージ")).toHaveValue("");
    expect(backend.drafts).toHaveLength(0);
  });
});

describe("ログイン mistakes", () => {
  it("goes back to the first stage after a wrong second-stage password, keeping the IDs and saying how long a lock lasts", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderApp(backend);
    expect(await screen.findByText("c から始まるID")).toBeInTheDocument();
    await user.type(screen.getByLabelText("個人ユーザID"), HOME_HELP_LOGIN.personal);
    await user.type(screen.getByLabelText("パスワード"), "right-pass{Enter}");
    expect(await screen.findByText("KJ から始まるID")).toBeInTheDocument();
    await user.type(screen.getByLabelText("事業所ユーザID"), HOME_HELP_LOGIN.office);
    await user.type(screen.getByLabelText("パスワード"), "wrong{Enter}");
    expect(await screen.findByRole("heading", { name: "個人ユーザIDでログイン" })).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("30分間ログインできなくなります");
    expect(screen.getByRole("note")).toHaveTextContent("1段階目からやり直してください。IDはそのまま残しています。");
    expect(screen.getByLabelText("個人ユーザID")).toHaveValue(HOME_HELP_LOGIN.personal);
    await logIn(user, "right-pass");
    expect(screen.getByText("ひまわりヘルパーステーション（1370000026）")).toBeInTheDocument();
  });
});

describe("the keyboard", () => {
  it("reaches a skip link to the content first", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderApp(backend);
    await screen.findByLabelText("個人ユーザID");
    (document.activeElement as HTMLElement | null)?.blur();
    await user.tab();
    const skip = screen.getByRole("link", { name: "本文へ移動" });
    expect(skip).toHaveFocus();
    expect(skip).toHaveAttribute("href", "#content");
    expect(document.getElementById("content")).not.toBeNull();
  });
});
