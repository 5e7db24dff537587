import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { BackendProvider } from "../backend/BackendContext";
import { FakeBackend, apiError } from "../test/fakeBackend";
import { SettingsScreen } from "./SettingsScreen";

function renderSettings(backend: FakeBackend) {
  return render(
    <BackendProvider backend={backend}>
      <SettingsScreen firstRun />
    </BackendProvider>,
  );
}

describe("設定", () => {
  it("saves the relay and the terminal name, and refuses a plain http address", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderSettings(backend);
    const url = await screen.findByLabelText("接続先（URL）");
    await user.clear(url);
    await user.type(url, "http://relay.example");
    await user.click(screen.getByRole("button", { name: "接続先を保存" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("https:// で始めてください");
    expect(backend.settings.relay_url).toBe("https://relay.example:8443");

    await user.clear(url);
    await user.type(url, "https://relay.city.example:8443");
    const terminal = screen.getByLabelText("端末名");
    await user.clear(terminal);
    await user.type(terminal, "相談室PC");
    await user.click(screen.getByRole("button", { name: "接続先を保存" }));
    expect(await screen.findByRole("status")).toHaveTextContent("設定を保存しました。");
    expect(backend.settings.relay_url).toBe("https://relay.city.example:8443");
    expect(backend.settings.terminal_name).toBe("相談室PC");
  });

  it("takes the portal's address under 詳細設定 when the operator serves it elsewhere, and refuses a plain http one", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderSettings(backend);
    const request = await screen.findByLabelText("利用状況WebサイトのURL");
    await waitFor(() => expect(request, "by default the relay's host on 8444").toHaveValue("https://relay.example:8444"));
    const portal = screen.getByLabelText("利用状況Webサイトの接続先（URL）");
    expect(portal).toHaveAccessibleDescription(/通常は空欄のままにします/);

    await user.type(portal, "http://portal.example");
    await user.click(screen.getByRole("button", { name: "接続先を保存" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("利用状況Webサイトの接続先（URL）は https:// で始めてください");
    expect(backend.settings.portal_address).toBe("");

    await user.clear(portal);
    await user.type(portal, "https://portal.example/");
    await user.click(screen.getByRole("button", { name: "接続先を保存" }));
    expect(await screen.findByRole("status")).toHaveTextContent("設定を保存しました。");
    expect(backend.settings.portal_address).toBe("https://portal.example");
    await waitFor(() => expect(request).toHaveValue("https://portal.example"));
  });

  it("imports the certificate in one guided step: the file, its password, then what it says", async () => {
    const backend = new FakeBackend();
    backend.settings.certificate = null;
    backend.chosenFiles = ["/home/user/office.p12"];
    const user = userEvent.setup();
    renderSettings(backend);
    await user.click(await screen.findByRole("button", { name: "電子証明書を取り込む" }));
    expect(await screen.findByText("「office.p12」のパスワードを入力して「次へ」を押してください。")).toBeInTheDocument();
    await user.type(screen.getByLabelText("電子証明書のパスワード"), "wrong{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent("パスワードが違います");
    expect(backend.settings.certificate).toBeNull();

    const password = screen.getByLabelText("電子証明書のパスワード");
    await user.clear(password);
    await user.type(password, "p12-pass");
    await user.click(screen.getByRole("button", { name: "次へ" }));
    const confirm = await screen.findByRole("group", { name: "この電子証明書を取り込みますか？" });
    expect(within(confirm).getByText("ひまわりヘルパーステーション")).toBeInTheDocument();
    expect(within(confirm).getByText("1370000026")).toBeInTheDocument();
    expect(backend.settings.certificate, "nothing is taken before the confirmation").toBeNull();
    await user.click(within(confirm).getByRole("button", { name: "この証明書を取り込む" }));
    expect(await screen.findByRole("status")).toHaveTextContent("取り込み済み: office.p12");
    expect(backend.settings.certificate).toBe("/home/user/office.p12");
  });

  it("says in Japanese what happens when the keyring cannot keep the password, and clears another office's IDs", async () => {
    const backend = new FakeBackend();
    backend.settings = { ...backend.settings, certificate: "/home/user/office.p12", personal_id: "c1370000026a", office_user_id: "KJ137000002601" };
    backend.keyringWorks = false;
    backend.chosenFiles = ["/home/user/care-manager.p12"];
    const user = userEvent.setup();
    renderSettings(backend);
    await user.click(await screen.findByRole("button", { name: "電子証明書を取り込む" }));
    await user.type(await screen.findByLabelText("電子証明書のパスワード"), "p12-pass{Enter}");
    await user.click(await screen.findByRole("button", { name: "この証明書を取り込む" }));
    const status = await screen.findByRole("status");
    expect(status).toHaveTextContent("保存していたIDを消しました");
    expect(status).toHaveTextContent("資格情報マネージャー");
    expect(backend.settings.personal_id).toBeNull();
  });

  it("saves the log for the support desk where the user chooses, and says where", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderSettings(backend);
    const logs = await screen.findByRole("region", { name: "サポート用のログ" });
    expect(logs).toHaveTextContent("パスワードやファイルの中身は記録されていません。");
    await user.click(screen.getByRole("button", { name: "ログを保存" }));
    expect(await screen.findByRole("status")).toHaveTextContent("ログを保存しました: /home/user/デスクトップ/careplan-log-20250502.txt");
    expect(backend.calls.filter((call) => call === "saveLogs")).toHaveLength(1);
  });

  it("says nothing when the save dialog is cancelled, and shows why saving the log failed", async () => {
    const backend = new FakeBackend();
    backend.logsSavedAs = null;
    const user = userEvent.setup();
    renderSettings(backend);
    await user.click(await screen.findByRole("button", { name: "ログを保存" }));
    await waitFor(() => expect(backend.calls).toContain("saveLogs"));
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();

    backend.fail.saveLogs = apiError("logs.write_failed", "ログを保存できませんでした。保存先に書き込めません。");
    await user.click(screen.getByRole("button", { name: "ログを保存" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("ログを保存できませんでした。");
    expect(screen.queryByText(/ログを保存しました/)).not.toBeInTheDocument();
  });
});
