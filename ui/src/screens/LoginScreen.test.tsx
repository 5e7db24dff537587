import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { HOME_HELP_LOGIN, logIn, renderApp } from "../test/renderApp";
import { FakeBackend, apiError, file, message } from "../test/fakeBackend";

async function stage1(user: ReturnType<typeof userEvent.setup>, id: string, password: string) {
  await user.type(await screen.findByLabelText("個人ユーザID"), id);
  await user.type(screen.getByLabelText("パスワード"), password);
  await user.click(screen.getByRole("button", { name: "ログイン" }));
}

describe("ログイン", () => {
  it("logs in with both IDs and shows the office and the tabs", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderApp(backend);
    await stage1(user, "c1370000026a", "right-pass");
    expect(await screen.findByRole("heading", { name: "事業所ユーザIDでログイン" })).toBeInTheDocument();
    await user.type(screen.getByLabelText("事業所ユーザID"), "KJ137000002601");
    await user.type(screen.getByLabelText("パスワード"), "right-pass");
    await user.click(screen.getByRole("button", { name: "ログイン" }));
    expect(await screen.findByText("ひまわりヘルパーステーション（1370000026）")).toBeInTheDocument();
    for (const tab of ["トップページ", "受信一覧", "送信一覧", "新規作成", "下書き一覧", "一括送信", "設定"]) {
      expect(screen.getByRole("tab", { name: tab })).toBeInTheDocument();
    }
    await user.click(screen.getByRole("button", { name: "ログアウト" }));
    expect(await screen.findByRole("heading", { name: "個人ユーザIDでログイン" })).toBeInTheDocument();
  });

  it("says what is wrong: a wrong password, an HD ID, an unreachable relay", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderApp(backend);
    await stage1(user, "c1370000026a", "wrong");
    expect(await screen.findByRole("alert")).toHaveTextContent("IDまたはパスワードが違います。");
    expect(screen.getByRole("heading", { name: "個人ユーザIDでログイン" })).toBeInTheDocument();

    await user.clear(screen.getByLabelText("個人ユーザID"));
    await stage1(user, "HD0000000001", "right-pass");
    expect(await screen.findByRole("alert")).toHaveTextContent("代理請求用");

    backend.fail.loginPersonal = apiError("connection.failed", "連携基盤に接続できません。インターネットへの接続と、設定の接続先（URL）を確認してください。");
    await user.clear(screen.getByLabelText("個人ユーザID"));
    await stage1(user, "c1370000026a", "right-pass");
    expect(await screen.findByRole("alert")).toHaveTextContent("連携基盤に接続できません");
    backend.fail.loginPersonal = apiError("auth.certificate_expired", "電子証明書の有効期限（2025-03-31まで）が切れています。");
    await user.click(screen.getByRole("button", { name: "ログイン" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("有効期限");
  });

  it("works from the keyboard alone: Tab between fields, Enter to go on", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderApp(backend);
    const id = await screen.findByLabelText("個人ユーザID");
    await waitFor(() => expect(id).toHaveFocus());
    await user.keyboard("c1370000026a");
    await user.tab();
    expect(screen.getByLabelText("パスワード")).toHaveFocus();
    await user.keyboard("right-pass{Enter}");
    expect(await screen.findByRole("heading", { name: "事業所ユーザIDでログイン" })).toBeInTheDocument();
    await user.click(screen.getByLabelText("事業所ユーザID"));
    await user.keyboard("KJ137000002601");
    await user.tab();
    await user.keyboard("right-pass{Enter}");
    expect(await screen.findByText("ひまわりヘルパーステーション（1370000026）")).toBeInTheDocument();
    // The tabs are buttons: reachable with Tab, opened with Enter.
    const inboxTab = screen.getByRole("tab", { name: "受信一覧" });
    inboxTab.focus();
    await user.keyboard("{Enter}");
    expect(inboxTab).toHaveAttribute("aria-selected", "true");
  });

  it("fills in remembered IDs and waits in the password field", async () => {
    const backend = new FakeBackend();
    backend.settings.personal_id = "c1370000026a";
    backend.settings.office_user_id = "KJ137000002601";
    const user = userEvent.setup();
    renderApp(backend);
    expect(await screen.findByDisplayValue("c1370000026a")).toBeInTheDocument();
    expect(screen.getByLabelText("IDを保存する")).toBeChecked();
    await waitFor(() => expect(screen.getByLabelText("パスワード")).toHaveFocus());
    await user.keyboard("right-pass{Enter}");
    expect(await screen.findByDisplayValue("KJ137000002601")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText("パスワード")).toHaveFocus());
    await user.keyboard("right-pass{Enter}");
    expect(await screen.findByText("ひまわりヘルパーステーション（1370000026）")).toBeInTheDocument();
  });

  it("opens 設定 first when the app is not set up", async () => {
    const backend = new FakeBackend();
    backend.settings.certificate = null;
    renderApp(backend);
    expect(await screen.findByText("はじめに、連携基盤への接続を設定してください。")).toBeInTheDocument();
  });

  it("shows a failure to start", async () => {
    const backend = new FakeBackend();
    backend.fail.appInfo = apiError("ui.unexpected", "起動できませんでした。");
    renderApp(backend);
    expect(await screen.findByRole("alert")).toHaveTextContent("起動できませんでした。");
  });

  it("shows nothing read for the office logged in before", async () => {
    const backend = new FakeBackend();
    backend.inbox = [message("m1", [file("f1", "前の事業所あて.pdf")])];
    const user = userEvent.setup();
    renderApp(backend);
    await logIn(user, "right-pass", HOME_HELP_LOGIN);
    await user.click(screen.getByRole("tab", { name: "受信一覧" }));
    expect(await screen.findByText("前の事業所あて.pdf")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "ログアウト" }));

    backend.listMessages = () => new Promise(() => undefined);
    await logIn(user, "right-pass", HOME_HELP_LOGIN);
    await user.click(screen.getByRole("tab", { name: "受信一覧" }));
    expect(await screen.findByText("読み込み中…")).toBeInTheDocument();
    expect(screen.queryByText("前の事業所あて.pdf")).not.toBeInTheDocument();
  });
});
