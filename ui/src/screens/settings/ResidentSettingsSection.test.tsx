import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { BackendProvider } from "../../backend/BackendContext";
import { FakeBackend } from "../../test/fakeBackend";
import { SettingsScreen } from "../SettingsScreen";

function renderSettings(backend: FakeBackend) {
  return render(
    <BackendProvider backend={backend}>
      <SettingsScreen />
    </BackendProvider>,
  );
}

describe("設定: 受信通知と自動取得", () => {
  it("keeps the notification choices and quiet hours, and refuses quiet hours that are not two times", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderSettings(backend);
    await user.click(await screen.findByLabelText("送信したデータを相手先が取得したら通知する"));
    await user.type(screen.getByLabelText("通知しない時間帯"), "22:00");
    await user.click(screen.getByRole("button", { name: "受信通知と自動取得を保存" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("始まりと終わりの両方を「22:00」「07:00」のように時刻で入力してください");
    expect(backend.settings.resident.quiet_from).toBe("");

    // As a Japanese IME often writes it: kept as 07:00.
    await user.type(screen.getByLabelText("～"), "７：００");
    await user.click(screen.getByRole("button", { name: "受信通知と自動取得を保存" }));
    expect(await screen.findByText("受信通知と自動取得の設定を保存しました。")).toBeInTheDocument();
    expect(backend.settings.resident).toMatchObject({ notify_arrivals: true, notify_taken: true, quiet_from: "22:00", quiet_until: "07:00" });
  });

  it("turns 自動取得 on with a chosen folder and a subfolder per sender, and off again", async () => {
    const backend = new FakeBackend();
    backend.folder = "/home/user/自動取得";
    const user = userEvent.setup();
    renderSettings(backend);
    expect(await screen.findByText("自動取得: 使わない")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "保存先を選んで自動取得を使う" }));
    expect(await screen.findByText("自動取得を使います。保存先: /home/user/自動取得")).toBeInTheDocument();
    expect(backend.settings.resident.auto_fetch_folder).toBe("/home/user/自動取得");
    await user.selectOptions(screen.getByLabelText("振り分け"), "送信元の事業所ごとのフォルダ");
    await user.click(screen.getByRole("button", { name: "受信通知と自動取得を保存" }));
    await screen.findByText("受信通知と自動取得の設定を保存しました。");
    expect(backend.settings.resident.auto_fetch_subfolders).toBe("per_sender");

    // The folder dialog cancelled: nothing changes.
    backend.folder = null;
    await user.click(screen.getByRole("button", { name: "保存先を変える" }));
    expect(backend.settings.resident.auto_fetch_folder).toBe("/home/user/自動取得");

    await user.click(screen.getByRole("button", { name: "自動取得をやめる" }));
    expect(await screen.findByText("自動取得: 使わない")).toBeInTheDocument();
    expect(backend.settings.resident.auto_fetch_folder).toBeNull();
  });

  it("is locked in 練習モード", async () => {
    const backend = new FakeBackend();
    await backend.startPractice();
    renderSettings(backend);
    expect(await screen.findByText("練習モード中は変更できません。練習モードを終了してから変更してください。")).toBeInTheDocument();
    expect(screen.getByLabelText("データが届いたら通知する")).toBeDisabled();
    expect(screen.getByRole("button", { name: "受信通知と自動取得を保存" })).toBeDisabled();
  });
});
