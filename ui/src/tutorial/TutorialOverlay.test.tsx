import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { renderApp } from "../test/renderApp";
import { FakeBackend } from "../test/fakeBackend";

describe("the guided tutorial in 練習モード", () => {
  it("opens from the band, moves on with 次へ and with the trainee's own login, skips and changes chapter", async () => {
    const backend = new FakeBackend();
    backend.practiceRequested = true;
    const user = userEvent.setup();
    renderApp(backend);
    await user.click(await screen.findByRole("button", { name: "チュートリアル" }));
    const panel = screen.getByRole("dialog", { name: "チュートリアル" });
    const status = within(panel).getByRole("status");
    expect(status).toHaveTextContent("手順 1 / 3（全体 0 / 29 済）");

    await user.click(within(panel).getByRole("button", { name: "次の手順へ" }));
    expect(status).toHaveTextContent("手順 2 / 3（全体 1 / 29 済）");
    expect(within(panel).getByRole("button", { name: "次の手順へ" }), "waits for the login itself").toBeDisabled();
    expect(within(panel).getByText("説明のとおりに操作すると、次の手順に進みます。")).toBeInTheDocument();

    await user.type(await screen.findByLabelText("パスワード"), "demo-pass-2025");
    await user.click(screen.getByRole("button", { name: "ログイン" }));
    expect(await within(panel).findByText("手順 3 / 3（全体 2 / 29 済）")).toBeInTheDocument();

    await user.click(within(panel).getByRole("button", { name: "スキップ" }));
    expect(status).toHaveTextContent("手順 1 / 8（全体 3 / 29 済）");
    await user.click(within(panel).getByRole("button", { name: "前の手順へ" }));
    expect(status).toHaveTextContent("手順 3 / 3（全体 2 / 29 済）");

    await user.selectOptions(within(panel).getByRole("combobox", { name: "章" }), "4 データ受信");
    expect(status).toHaveTextContent("手順 1 / 3（全体 21 / 29 済）");
    await user.selectOptions(within(panel).getByRole("combobox", { name: "章" }), "1 ログイン");
    await user.click(within(panel).getByRole("button", { name: "スキップ" }));
    // Stage 1 is still done (the form is on stage 2): that step counts as done and is passed.
    expect(status).toHaveTextContent("手順 3 / 3（全体 2 / 29 済）");
    await user.type(screen.getByLabelText("パスワード"), "demo-pass-2025");
    await user.click(screen.getByRole("button", { name: "ログイン" }));
    expect(await within(panel).findByText("手順 1 / 8（全体 3 / 29 済）")).toBeInTheDocument();

    await user.selectOptions(within(panel).getByRole("combobox", { name: "章" }), "3 データ送信");
    expect(status).toHaveTextContent("手順 1 / 10（全体 11 / 29 済）");
    await user.click(screen.getByRole("tab", { name: "新規作成" }));
    expect(status, "opening the tab is the step").toHaveTextContent("手順 2 / 10（全体 12 / 29 済）");

    await user.click(within(panel).getByRole("button", { name: "閉じる" }));
    expect(screen.queryByRole("dialog", { name: "チュートリアル" })).not.toBeInTheDocument();
  });
});

describe("the tutorial panel and the keyboard focus", () => {
  async function openTutorial() {
    const backend = new FakeBackend();
    backend.practiceRequested = true;
    const user = userEvent.setup();
    renderApp(backend);
    const opener = await screen.findByRole("button", { name: "チュートリアル" });
    await user.click(opener);
    return { user, opener, panel: screen.getByRole("dialog", { name: "チュートリアル" }) };
  }

  it("goes to the panel's heading when a step opens, which reads out the step", async () => {
    const { user, panel } = await openTutorial();
    const heading = within(panel).getByRole("heading", { name: "チュートリアル" });
    await waitFor(() => expect(heading).toHaveFocus());
    expect(heading).toHaveAccessibleDescription(/練習用のID 練習ではこのIDとパスワードを使います。/);

    // Chapter 2 starts on the tabs, which the trainee only looks at.
    await user.selectOptions(within(panel).getByRole("combobox", { name: "章" }), "2 基本構成");
    await waitFor(() => expect(heading).toHaveFocus());
    expect(heading).toHaveAccessibleDescription(/各機能のタブ/);
  });

  it("leaves the focus where the trainee moved it while the step's highlight was still drawn", async () => {
    const { panel } = await openTutorial();
    // The trainee goes on to a button before driver.js has drawn the first step's explanation
    // (which it does halfway through the highlight's animation, and then moves the focus).
    const close = within(panel).getByRole("button", { name: "閉じる" });
    close.focus();
    await waitFor(() => expect(document.querySelector("#driver-popover-title")).toHaveTextContent("練習用のID"));
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(close).toHaveFocus();
  });

  it("stays in the form at a step where the trainee types", async () => {
    const { user, panel } = await openTutorial();
    await waitFor(() => expect(within(panel).getByRole("heading", { name: "チュートリアル" })).toHaveFocus());
    await user.click(within(panel).getByRole("button", { name: "次の手順へ" }));
    // The practice IDs are filled in: typing starts in the password field (not where driver.js put
    // the focus, the first field, nor on the heading).
    await waitFor(() => expect(screen.getByLabelText("パスワード")).toHaveFocus());
  });

  it("keeps nobody in: Tab leaves the panel and the highlighted element", async () => {
    const { user, panel } = await openTutorial();
    await waitFor(() => expect(within(panel).getByRole("heading", { name: "チュートリアル" })).toHaveFocus());
    within(panel).getByRole("button", { name: "閉じる" }).focus();
    await user.tab();
    expect(panel.contains(document.activeElement)).toBe(false);
    expect(document.querySelector(".driver-active-element")?.contains(document.activeElement) ?? false).toBe(false);
    expect(document.activeElement).not.toBe(document.body);
  });

  it("goes back where it was when the panel closes", async () => {
    const { user, opener, panel } = await openTutorial();
    await waitFor(() => expect(within(panel).getByRole("heading", { name: "チュートリアル" })).toHaveFocus());
    await user.click(within(panel).getByRole("button", { name: "閉じる" }));
    expect(opener).toHaveFocus();
  });

  it("keeps the progress when closed: reopening resumes the step", async () => {
    const { user, opener, panel } = await openTutorial();
    const status = within(panel).getByRole("status");
    await user.click(within(panel).getByRole("button", { name: "次の手順へ" }));
    expect(status).toHaveTextContent("手順 2 / 3（全体 1 / 29 済）");
    await user.click(within(panel).getByRole("button", { name: "閉じる" }));
    await user.click(opener);
    const again = screen.getByRole("dialog", { name: "チュートリアル" });
    expect(within(again).getByRole("status")).toHaveTextContent("手順 2 / 3（全体 1 / 29 済）");
  });

  it("counts a step whose action is already done as done", async () => {
    const backend = new FakeBackend();
    backend.practiceRequested = true;
    const user = userEvent.setup();
    renderApp(backend);
    // The trainee logs in before opening the tutorial: chapter 1's steps are done already.
    await user.type(await screen.findByLabelText("パスワード"), "demo-pass-2025");
    await user.click(screen.getByRole("button", { name: "ログイン" }));
    await user.type(await screen.findByLabelText("パスワード"), "demo-pass-2025");
    await user.click(screen.getByRole("button", { name: "ログイン" }));
    await user.click(await screen.findByRole("button", { name: "チュートリアル" }));
    const panel = screen.getByRole("dialog", { name: "チュートリアル" });
    await user.click(within(panel).getByRole("button", { name: "次の手順へ" }));
    expect(within(panel).getByRole("status"), "both login steps are passed").toHaveTextContent("手順 1 / 8");
  });
});

describe("練習モード's sample files", () => {
  it("opens the sample folder in the file manager, and the file dialog starts there", async () => {
    const backend = new FakeBackend();
    backend.practiceRequested = true;
    const user = userEvent.setup();
    renderApp(backend);
    await user.click(await screen.findByRole("button", { name: "サンプルファイルを開く" }));
    expect(backend.openedFolders).toHaveLength(1);
    await user.type(await screen.findByLabelText("パスワード"), "demo-pass-2025");
    await user.click(screen.getByRole("button", { name: "ログイン" }));
    await user.type(await screen.findByLabelText("パスワード"), "demo-pass-2025");
    await user.click(screen.getByRole("button", { name: "ログイン" }));
    await user.click(await screen.findByRole("tab", { name: "新規作成" }));
    await user.click(await screen.findByRole("button", { name: "ファイルを選ぶ" }));
    expect(backend.fileDialogsAt.at(-1)).toBe(backend.openedFolders[0]);
  });
});
