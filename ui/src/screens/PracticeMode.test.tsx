import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { logIn, renderApp } from "../test/renderApp";
import { FakeBackend, HOME_HELP, apiError, defaultResident, file, message } from "../test/fakeBackend";
import { holdAnswers } from "../test/heldAnswers";

const BANNER = "練習モード：練習用のデータで操作しています。実際の事業所には送信されません。";

describe("練習モード", () => {
  it("starts from the login screen, shows the demo IDs, resets to the start and is left again", async () => {
    const backend = new FakeBackend();
    const realRelay = backend.settings.relay_url;
    const user = userEvent.setup();
    renderApp(backend);
    expect(await screen.findByRole("heading", { name: "個人ユーザIDでログイン" })).toBeInTheDocument();
    expect(screen.queryByRole("note", { name: BANNER })).not.toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "練習モードで始める" }));
    const banner = await screen.findByRole("note", { name: BANNER });
    expect(within(banner).getByText("/tmp/careplan-practice-1/サンプルファイル")).toBeInTheDocument();
    const ids = screen.getByRole("region", { name: "練習用のID" });
    expect(within(ids).getByText("ひだまり居宅介護支援事業所として練習します。次のIDとパスワードでログインしてください。")).toBeInTheDocument();
    expect(within(ids).getByText("c1370000018a")).toBeInTheDocument();
    expect(within(ids).getByText("KJ137000001801")).toBeInTheDocument();
    expect(await screen.findByDisplayValue("c1370000018a")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "設定を開く" }), "no way to another relay").not.toBeInTheDocument();

    await logIn(user, "demo-pass-2025");
    expect(screen.getByRole("note", { name: BANNER }), "on every screen").toBeInTheDocument();

    // データ取得 saves into the practice folder without a folder dialog.
    backend.inbox = [message("m1", [file("f1", "UPJSK_202504_1370000026_11_1370000018_43_20250430180000.CSV")], "4月の実績です", HOME_HELP)];
    await user.click(screen.getByRole("tab", { name: "受信一覧" }));
    await user.click(await screen.findByRole("checkbox", { name: "UPJSK_202504_1370000026_11_1370000018_43_20250430180000.CSVを選択" }));
    await user.click(screen.getByRole("button", { name: "データ取得" }));
    expect(await screen.findByText("1 件のファイルを /tmp/受信したファイル に保存しました。")).toBeInTheDocument();
    expect(backend.calls).not.toContain("chooseFolder");

    await user.click(screen.getByRole("button", { name: "リセット" }));
    expect(await screen.findByRole("heading", { name: "個人ユーザIDでログイン" })).toBeInTheDocument();
    expect(within(screen.getByRole("note", { name: BANNER })).getByText("/tmp/careplan-practice-2/サンプルファイル")).toBeInTheDocument();
    expect(backend.calls).toContain("resetPractice");

    await user.click(screen.getByRole("button", { name: "練習モードを終了" }));
    expect(await screen.findByRole("button", { name: "練習モードで始める" })).toBeInTheDocument();
    expect(screen.queryByRole("note", { name: BANNER })).not.toBeInTheDocument();
    expect(backend.settings.relay_url).toBe(realRelay);
  });

  it("can be started on a PC not set up yet", async () => {
    const backend = new FakeBackend();
    backend.settings = { relay_url: "", ca_certificate: null, certificate: null, terminal_name: "教室PC", save_folder: null, personal_id: null, office_user_id: null, fetch_explained: false, portal_address: "", resident: defaultResident() };
    const user = userEvent.setup();
    renderApp(backend);
    expect(await screen.findByText("設定をせずに操作を試すこともできます。")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "練習モードで始める" }));
    expect(await screen.findByRole("note", { name: BANNER })).toBeInTheDocument();
    expect(await screen.findByRole("heading", { name: "個人ユーザIDでログイン" })).toBeInTheDocument();
    // The practice IDs are filled in, not the empty ones of the PC's own settings read before.
    expect(screen.getByLabelText("個人ユーザID")).toHaveValue("c1370000018a");
    await user.click(screen.getByRole("button", { name: "練習モードを終了" }));
    expect(await screen.findByText("設定をせずに操作を試すこともできます。"), "back to the first-run 設定").toBeInTheDocument();
  });

  it("fills in the practice IDs even when the settings are read again late", async () => {
    const backend = new FakeBackend();
    backend.settings = { relay_url: "", ca_certificate: null, certificate: null, terminal_name: "教室PC", save_folder: null, personal_id: null, office_user_id: null, fetch_explained: false, portal_address: "", resident: defaultResident() };
    const user = userEvent.setup();
    renderApp(backend);
    const start = await screen.findByRole("button", { name: "練習モードで始める" });
    const held = holdAnswers(backend, "getSettings");
    await user.click(start);
    await waitFor(() => expect(held.length).toBeGreaterThan(0));
    expect(screen.queryByLabelText("個人ユーザID"), "no form from the settings of before").not.toBeInTheDocument();
    for (const call of held) await call.release();
    await screen.findByRole("note", { name: BANNER });
    expect(await screen.findByLabelText("個人ユーザID")).toHaveValue("c1370000018a");
  });

  it("opens at once when the app was started with --practice", async () => {
    const backend = new FakeBackend();
    backend.practiceRequested = true;
    renderApp(backend);
    expect(await screen.findByRole("note", { name: BANNER })).toBeInTheDocument();
    expect(backend.calls.filter((call) => call === "startPractice")).toHaveLength(1);
  });

  it("says why practice could not start and stays out of it", async () => {
    const backend = new FakeBackend();
    backend.fail.startPractice = apiError("practice.start_failed", "練習モードを開始できませんでした（disk full）。アプリを再起動してもう一度お試しください。");
    const user = userEvent.setup();
    renderApp(backend);
    await user.click(await screen.findByRole("button", { name: "練習モードで始める" }));
    expect(await screen.findByText("練習モードを開始できませんでした（disk full）。アプリを再起動してもう一度お試しください。")).toBeInTheDocument();
    expect(screen.queryByRole("note", { name: BANNER })).not.toBeInTheDocument();
  });

  it("refuses to change the settings while practising", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderApp(backend);
    await user.click(await screen.findByRole("button", { name: "練習モードで始める" }));
    await screen.findByRole("note", { name: BANNER });
    await logIn(user, "demo-pass-2025");
    await user.click(screen.getByRole("tab", { name: "設定" }));
    await user.click(await screen.findByRole("button", { name: "接続先を保存" }));
    expect(await screen.findByText("練習モード中は設定を変更できません。練習モードを終了してから変更してください。")).toBeInTheDocument();
    expect(backend.settings.relay_url).toBe("https://127.0.0.1:40000");
  });
});
