// 内容を見る where files are: a received message (which stays 未), a file dropped in 新規作成, a draft,
// and ファイルを開く for files on disk.
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { BackendProvider } from "../backend/BackendContext";
import type { OpenedFiles } from "../bindings/OpenedFiles";
import useSheet from "../forms/fixtures/v41-use-sheet.json";
import { FakeBackend, HOME_HELP, apiError, file, message } from "../test/fakeBackend";
import { HOME_HELP_LOGIN, logIn, renderApp } from "../test/renderApp";
import { MessageList } from "./MessageList";
import { OpenFilesScreen } from "./OpenFilesScreen";

const UNIT = (useSheet as unknown as OpenedFiles).units[0].files;
const opened = useSheet as unknown as OpenedFiles;

function withReceivedUnit(backend: FakeBackend) {
  backend.stage = 2;
  backend.inbox = [message("m1", UNIT.map((name, i) => file(`f${i}`, name)), "4月分です")];
  UNIT.forEach((_, i) => backend.readable.set(`f${i}`, i === 0 ? opened : { ok: true, units: [], files: [], others: [], diagnostics: [] }));
}

describe("内容を見る in 受信一覧", () => {
  it("shows the message's files as forms, and they stay 未", async () => {
    const backend = new FakeBackend();
    withReceivedUnit(backend);
    const user = userEvent.setup();
    render(
      <BackendProvider backend={backend}>
        <MessageList mailbox="inbox" saveFolder="/home/user/受信" />
      </BackendProvider>,
    );
    const row = await screen.findByTestId("message-m1");
    await user.click(within(row).getByRole("button", { name: /から.*に届いた内容を見る/ }));
    const dialog = await screen.findByRole("dialog", { name: /^内容を見る: ひだまり居宅介護支援事業所/ });
    expect(within(dialog).getByText("内容を見ても「未」のままです。取り込むにはデータ取得をしてください。")).toBeInTheDocument();
    expect(await within(dialog).findByRole("article", { name: "第6表　サービス利用票（予定）" })).toBeInTheDocument();
    // Viewing is not データ取得: nothing fetched, the row still pale green and not selected.
    expect(backend.calls).not.toContain("fetchFiles");
    expect(backend.inbox[0].files.every((f) => f.fetched_at === null)).toBe(true);
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(row).toHaveClass("unfetched");
    expect(within(row).getAllByText("未")).toHaveLength(UNIT.length);
    expect(within(row).getByRole("button", { name: /内容を見る/ })).toHaveFocus();
  });

  it("says why when the files cannot be read, and closes", async () => {
    const backend = new FakeBackend();
    withReceivedUnit(backend);
    backend.fail.openFiles = apiError("fetch.integrity", "ファイルを正しく受け取れませんでした（内容が一致しません）。もう一度取得してください。");
    const user = userEvent.setup();
    render(
      <BackendProvider backend={backend}>
        <MessageList mailbox="inbox" />
      </BackendProvider>,
    );
    await user.click(within(await screen.findByTestId("message-m1")).getByRole("button", { name: /内容を見る/ }));
    const dialog = await screen.findByRole("dialog");
    expect(await within(dialog).findByText(/内容が一致しません/)).toBeInTheDocument();
    expect(within(dialog).queryByRole("article")).toBeNull();
    await user.click(within(dialog).getByRole("button", { name: "閉じる" }));
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("is not offered for a message of attachments only", async () => {
    const backend = new FakeBackend();
    backend.inbox = [message("m9", [file("p1", "主治医意見書.pdf")])];
    render(
      <BackendProvider backend={backend}>
        <MessageList mailbox="inbox" />
      </BackendProvider>,
    );
    const row = await screen.findByTestId("message-m9");
    expect(within(row).queryByRole("button", { name: /内容を見る/ })).toBeNull();
  });
});

describe("内容を見る in 送信一覧", () => {
  function withSentUnit(backend: FakeBackend) {
    backend.stage = 2;
    backend.outbox = [message("s1", UNIT.map((name, i) => file(`f${i}`, name, true)), "4月分です", HOME_HELP)];
    UNIT.forEach((_, i) => backend.readable.set(`f${i}`, i === 0 ? opened : { ok: true, units: [], files: [], others: [], diagnostics: [] }));
  }

  it("shows what was sent from this PC's copy, after the partner fetched it", async () => {
    const backend = new FakeBackend();
    withSentUnit(backend);
    const user = userEvent.setup();
    render(
      <BackendProvider backend={backend}>
        <MessageList mailbox="outbox" />
      </BackendProvider>,
    );
    const row = await screen.findByTestId("message-s1");
    await user.click(within(row).getByRole("button", { name: /ひまわりヘルパーステーションへ.*に送った内容を見る/ }));
    const dialog = await screen.findByRole("dialog", { name: /^内容を見る: ひまわりヘルパーステーションあて/ });
    expect(within(dialog).getByText("このパソコンから送ったときの控えを表示しています（控えは2年間残ります）。")).toBeInTheDocument();
    expect(await within(dialog).findByRole("article", { name: "第6表　サービス利用票（予定）" })).toBeInTheDocument();
    expect(backend.openedSources).toEqual([{ from: "sent", messages: [{ message_id: "s1", files: backend.outbox[0].files }] }]);
  });

  it("says so when this PC has no copy (sent from another PC)", async () => {
    const backend = new FakeBackend();
    withSentUnit(backend);
    const missing = `「${UNIT[0]}」の控えがこのパソコンにありません。ほかのパソコンから送ったか、控えを残す前（または2年より前）に送ったファイルです。送ったパソコンで開くか、送信元のソフトで確かめてください。`;
    backend.readable.set("f0", { ok: true, units: [], files: [], others: [{ name: UNIT[0], kind: "unavailable", message: missing }], diagnostics: [] });
    const user = userEvent.setup();
    render(
      <BackendProvider backend={backend}>
        <MessageList mailbox="outbox" />
      </BackendProvider>,
    );
    await user.click(within(await screen.findByTestId("message-s1")).getByRole("button", { name: /内容を見る/ }));
    const dialog = await screen.findByRole("dialog");
    expect(await within(dialog).findByText(new RegExp("控えがこのパソコンにありません"))).toBeInTheDocument();
    expect(within(dialog).queryByRole("article")).toBeNull();
    // Nothing is shown from a copy, so the dialog does not say it is showing one.
    expect(within(dialog).queryByText(/控えを表示しています/)).toBeNull();
  });
});

describe("内容を見る in 新規作成", () => {
  it("shows a dropped file with the rest of its send unit", async () => {
    const backend = new FakeBackend();
    const paths = UNIT.map((name) => `/home/user/送信/${name}`);
    backend.readable.set(paths[1], opened);
    const user = userEvent.setup();
    renderApp(backend);
    await logIn(user, "right-pass", HOME_HELP_LOGIN);
    await user.click(screen.getByRole("tab", { name: "新規作成" }));
    await waitFor(() => expect(screen.getByTestId("dropzone")).toHaveAttribute("data-drop-ready", "true"));
    backend.drop(paths);
    const view = await screen.findByRole("button", { name: `${UNIT[1]}の内容を見る` });
    await user.click(view);
    const dialog = await screen.findByRole("dialog", { name: `内容を見る: ${UNIT[1]}` });
    expect(await within(dialog).findByRole("article", { name: "第6表　サービス利用票（予定）" })).toBeInTheDocument();
    expect(backend.calls.filter((c) => c === "sendFiles")).toHaveLength(0);
  });
});

describe("ファイルを開く", () => {
  it("opens the chosen files as forms; a file that is not standard is named with the reason", async () => {
    const backend = new FakeBackend();
    backend.chosenFiles = ["/home/user/介護ソフト出力/UPPLAN.CSV"];
    backend.readable.set(backend.chosenFiles[0], {
      ...opened,
      ok: false,
      others: [{ name: "メモ.CSV", kind: "not_standard", message: "標準仕様のファイルとして読めません。ファイル名の形が標準仕様と違います。" }],
    });
    const user = userEvent.setup();
    render(
      <BackendProvider backend={backend}>
        <OpenFilesScreen />
      </BackendProvider>,
    );
    await user.click(screen.getByRole("button", { name: "ファイルを選ぶ" }));
    expect(await screen.findByRole("article", { name: "第7表　サービス利用票別表" })).toBeInTheDocument();
    expect(screen.getByText(/メモ.CSV/).closest("li")).toHaveTextContent("標準仕様のファイルとして読めません。");
    expect(screen.getByRole("button", { name: "別のファイルを開く" })).toBeInTheDocument();
  });

  it("opens files dropped on the window", async () => {
    const backend = new FakeBackend();
    backend.readable.set("/tmp/a.CSV", opened);
    render(
      <BackendProvider backend={backend}>
        <OpenFilesScreen />
      </BackendProvider>,
    );
    const zone = screen.getByText(/ドラッグ＆ドロップしても開けます/).closest(".dropzone")!;
    await waitFor(() => expect(zone).toHaveAttribute("data-drop-ready", "true"));
    backend.drop(["/tmp/a.CSV"]);
    expect(await screen.findByRole("article", { name: "利用者補足情報" })).toBeInTheDocument();
  });

  it("says in Japanese when nothing can be opened", async () => {
    const backend = new FakeBackend();
    backend.chosenFiles = ["/home/user/unknown.bin"];
    const user = userEvent.setup();
    render(
      <BackendProvider backend={backend}>
        <OpenFilesScreen />
      </BackendProvider>,
    );
    await user.click(screen.getByRole("button", { name: "ファイルを選ぶ" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("開けるファイルがありません。");
  });
});
