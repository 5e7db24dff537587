// Every screen that waits for the backend says so while it waits.
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { BackendProvider } from "../backend/BackendContext";
import { FakeBackend } from "../backend/fakeBackend";
import { DraftsScreen } from "./DraftsScreen";
import { MessageList } from "./MessageList";
import { SettingsScreen } from "./SettingsScreen";
import { TopPage } from "./TopPage";

const never = <T,>() => new Promise<T>(() => undefined);

describe("while the backend has not answered", () => {
  const cases = [
    ["トップページ", (b: FakeBackend) => (b.home = never), <TopPage />],
    ["受信一覧", (b: FakeBackend) => (b.listMessages = never), <MessageList mailbox="inbox" />],
    ["送信一覧", (b: FakeBackend) => (b.listMessages = never), <MessageList mailbox="outbox" />],
    ["下書き一覧", (b: FakeBackend) => (b.listDrafts = never), <DraftsScreen onOpen={() => undefined} />],
    ["設定", (b: FakeBackend) => (b.getSettings = never), <SettingsScreen />],
  ] as const;
  for (const [name, stall, element] of cases) {
    it(`${name} shows 読み込み中…`, async () => {
      const backend = new FakeBackend();
      stall(backend);
      render(<BackendProvider backend={backend}>{element}</BackendProvider>);
      expect(await screen.findByText("読み込み中…")).toBeInTheDocument();
    });
  }
});
