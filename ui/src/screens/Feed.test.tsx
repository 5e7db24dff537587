import { act, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { FakeBackend, feedView, file, message } from "../test/fakeBackend";
import { HOME_HELP_LOGIN, logIn, renderApp } from "../test/renderApp";

const arrival = { message_id: "m2", sender_office: "1370000018", sender_name: "あおぞら居宅介護支援事業所", files: 2, sent_at: "2025-05-01T09:00:00+09:00" };

describe("受信通知 on the screens", () => {
  it("counts what waits on 受信一覧's tab and shows an arrival in the list without a click", async () => {
    const backend = new FakeBackend();
    backend.inbox = [message("m1", [file("f1", "a.pdf")])];
    const user = userEvent.setup();
    renderApp(backend);
    await logIn(user, "right-pass", HOME_HELP_LOGIN);
    act(() => backend.tellFeed(feedView({ unfetched_files: 1 })));
    const tab = screen.getByRole("tab", { name: /受信一覧/ });
    expect(within(tab).getByLabelText("未取得 1 件")).toHaveTextContent("1");
    await user.click(tab);
    expect(await screen.findAllByRole("row")).toHaveLength(2);

    // A partner sends: the Rust side's feed tells it, and the list reads again by itself.
    backend.inbox = [message("m2", [file("f2", "b.pdf"), file("f3", "c.pdf")]), ...backend.inbox];
    act(() => backend.tellFeed(feedView({ unfetched_files: 3, arrived: [arrival] })));
    expect(await within(tab).findByLabelText("未取得 3 件")).toBeInTheDocument();
    expect(await screen.findByText("b.pdf")).toBeInTheDocument();

    // Nothing waits: no count on the tab.
    act(() => backend.tellFeed(feedView({ unfetched_files: 0 })));
    expect(within(tab).queryByLabelText(/未取得/)).not.toBeInTheDocument();
  });

  it("says when the feed stopped, cannot reach the relay, or only polls, and what 自動取得 did", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderApp(backend);
    await logIn(user, "right-pass", HOME_HELP_LOGIN);
    act(() => backend.tellFeed(feedView({ status: "unreachable", problem: "連携基盤に接続できません。" })));
    expect(await screen.findByText("連携基盤に接続できません。受信通知は自動でつなぎ直します。")).toBeInTheDocument();
    act(() => backend.tellFeed(feedView({ status: "polling" })));
    expect(await screen.findByText(/約5分ごとの確認/)).toBeInTheDocument();
    act(() => backend.tellFeed(feedView({ status: "login_required" })));
    expect(await screen.findByText(/受信通知が止まりました。.*もう一度ログインしてください。/)).toBeInTheDocument();

    act(() => backend.tellAutoFetch({ saved: 4, taken_elsewhere: 0, failure: null, left_waiting: 0, retry_in_seconds: null }));
    expect(await screen.findByText("自動取得: 4 件のファイルを保存しました。")).toBeInTheDocument();
    act(() =>
      backend.tellAutoFetch({ saved: 0, taken_elsewhere: 0, failure: "保存先のディスクがいっぱいです。空きを作ってからもう一度取得してください。", left_waiting: 3, retry_in_seconds: 120 }),
    );
    expect(await screen.findByText(/自動取得できなかったファイルがあります。保存先のディスクがいっぱいです。.*（2分後にもう一度取得します。/)).toBeInTheDocument();
    act(() => backend.tellAutoFetch({ saved: 0, taken_elsewhere: 0, failure: "連携基盤に接続できません。", left_waiting: 1, retry_in_seconds: 30 }));
    expect(await screen.findByText(/（30秒後にもう一度取得します。/)).toBeInTheDocument();
  });

  it("opens 受信一覧 when a notification is clicked", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderApp(backend);
    await logIn(user, "right-pass", HOME_HELP_LOGIN);
    expect(screen.getByRole("tab", { name: "トップページ" })).toHaveAttribute("aria-selected", "true");
    act(() => backend.clickNotification());
    expect(await screen.findByRole("tab", { name: /受信一覧/ })).toHaveAttribute("aria-selected", "true");
  });

  it("takes the last word of the feed when the screens start after it, and forgets it at the logout", async () => {
    const backend = new FakeBackend();
    backend.feed = feedView({ unfetched_files: 5 });
    const user = userEvent.setup();
    renderApp(backend);
    await logIn(user, "right-pass", HOME_HELP_LOGIN);
    expect(await screen.findByLabelText("未取得 5 件")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "ログアウト" }));
    await screen.findByRole("heading", { name: "個人ユーザIDでログイン" });
    act(() => backend.tellFeed(feedView({ unfetched_files: 7 })));
    expect(screen.queryByLabelText(/未取得/)).not.toBeInTheDocument();
  });
});
