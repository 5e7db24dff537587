// Every screen that reads from the backend says so while it waits, and says why when reading failed,
// the same way (components/Loaded.tsx).
import { render, screen } from "@testing-library/react";
import type { ReactElement } from "react";
import { describe, expect, it } from "vitest";
import { BackendProvider } from "../backend/BackendContext";
import type { Backend } from "../backend/Backend";
import { FakeBackend, apiError } from "../test/fakeBackend";
import { DraftsScreen } from "./DraftsScreen";
import { MessageList } from "./MessageList";
import { SettingsScreen } from "./SettingsScreen";
import { TopPage } from "./TopPage";

const never = <T,>() => new Promise<T>(() => undefined);

const screens: [string, keyof Backend, ReactElement][] = [
  ["トップページ", "home", <TopPage />],
  ["受信一覧", "listMessages", <MessageList mailbox="inbox" />],
  ["送信一覧", "listMessages", <MessageList mailbox="outbox" />],
  ["下書き一覧", "listDrafts", <DraftsScreen onOpen={() => undefined} />],
  ["設定", "getSettings", <SettingsScreen />],
];

describe("while the backend has not answered", () => {
  it.each(screens)("%s shows 読み込み中…", async (_, method, element) => {
    const backend = new FakeBackend();
    (backend as unknown as Record<string, unknown>)[method] = never;
    render(<BackendProvider backend={backend}>{element}</BackendProvider>);
    expect(await screen.findByRole("status")).toHaveTextContent("読み込み中…");
  });
});

describe("when reading fails", () => {
  it.each(screens)("%s shows the backend's message", async (_, method, element) => {
    const backend = new FakeBackend();
    backend.fail[method] = apiError("connection.failed", "連携基盤に接続できません。");
    render(<BackendProvider backend={backend}>{element}</BackendProvider>);
    expect(await screen.findByRole("alert")).toHaveTextContent("連携基盤に接続できません。");
    expect(screen.queryByText("読み込み中…")).not.toBeInTheDocument();
  });
});
