import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BackendProvider } from "../backend/BackendContext";
import { FakeBackend, apiError, file, message } from "../test/fakeBackend";
import { TopPage } from "./TopPage";

function renderTop(backend: FakeBackend, today: Date) {
  return render(
    <BackendProvider backend={backend}>
      <TopPage today={today} />
    </BackendProvider>,
  );
}

describe("トップページ", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("counts the days left on the licence and the certificate from today's date in Japan", async () => {
    // 15:30 UTC on 1 March is already 2 March in Japan: 29 days to 31 March, not 30.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-03-01T15:30:00Z"));
    render(
      <BackendProvider backend={new FakeBackend()}>
        <TopPage />
      </BackendProvider>,
    );
    expect(await screen.findAllByText("あと29日で期限が切れます。更新の手続きをしてください。")).toHaveLength(2);
    expect(screen.queryByText(/あと30日/)).not.toBeInTheDocument();
  });

  it("shows notices, the licence, the certificate and the unfetched count", async () => {
    const backend = new FakeBackend();
    backend.inbox = [message("m1", [file("f1", "a.pdf"), file("f2", "b.pdf")])];
    renderTop(backend, new Date(2025, 5, 1));
    expect(await screen.findByText("未取得のファイルが 2 件あります。受信一覧から取得してください。")).toBeInTheDocument();
    expect(screen.getByText(/メンテナンスのお知らせ/)).toBeInTheDocument();
    expect(screen.getByText(/2025\/04\/01 ～ 2026\/03\/31/)).toHaveTextContent("フリーパス");
    expect(screen.queryByText(/期限が切れ/)).not.toBeInTheDocument();
  });

  it("warns when files sent are about to expire untaken at the relay, and only then", async () => {
    const backend = new FakeBackend();
    backend.inbox = [message("m1", [file("f1", "a.pdf"), { ...file("f2", "b.pdf"), expired_at: "2025-05-31T00:00:00+09:00" }])];
    backend.home_ = { ...backend.home_, expiring_sent: 3 };
    const { unmount } = renderTop(backend, new Date(2025, 5, 1));
    expect(await screen.findByText(/送信したファイルのうち 3 件が相手先にまだ取得されておらず/)).toBeInTheDocument();
    expect(screen.getByText("未取得のファイルが 1 件あります。受信一覧から取得してください。")).toBeInTheDocument();
    unmount();
    backend.home_ = { ...backend.home_, expiring_sent: 0 };
    renderTop(backend, new Date(2025, 5, 1));
    await screen.findByText(/未取得のファイルが 1 件/);
    expect(screen.queryByText(/まもなく連携基盤の保存期限が切れます/)).not.toBeInTheDocument();
  });

  it("links the 未取得 banner to 受信一覧", async () => {
    const backend = new FakeBackend();
    backend.inbox = [message("m1", [file("f1", "a.pdf")])];
    let opened = false;
    render(
      <BackendProvider backend={backend}>
        <TopPage today={new Date(2025, 5, 1)} onOpenInbox={() => (opened = true)} />
      </BackendProvider>,
    );
    await userEvent.setup().click(await screen.findByRole("button", { name: "受信一覧を開く" }));
    expect(opened).toBe(true);
  });

  it("warns from thirty days before an expiry, and says when it has passed", async () => {
    const backend = new FakeBackend();
    renderTop(backend, new Date(2026, 2, 1));
    expect(await screen.findAllByText("あと30日で期限が切れます。更新の手続きをしてください。")).toHaveLength(2);
  });

  it("thirty-one days ahead is not yet a warning", async () => {
    const backend = new FakeBackend();
    renderTop(backend, new Date(2026, 1, 28));
    expect(await screen.findByText(/ライセンスの有効期間/)).toBeInTheDocument();
    expect(screen.queryByText(/日で期限が切れます/)).not.toBeInTheDocument();
  });

  it("an expired certificate is an error", async () => {
    const backend = new FakeBackend();
    renderTop(backend, new Date(2026, 3, 1));
    expect(await screen.findAllByText("期限が切れています。更新してください。")).toHaveLength(2);
  });

  it("shows the relay's refusal", async () => {
    const backend = new FakeBackend();
    backend.fail.home = apiError("auth.certificate_revoked", "この電子証明書は失効しています。");
    renderTop(backend, new Date());
    expect(await screen.findByRole("alert")).toHaveTextContent("失効しています");
  });
});
