import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { BackendProvider } from "../../backend/BackendContext";
import { FakeBackend, ISSUANCE_PASSWORD } from "../../test/fakeBackend";
import { renderApp } from "../../test/renderApp";
import { SettingsScreen } from "../SettingsScreen";

/** 設定 of a PC that has the relay's CA and no certificate yet. */
function renderSettings(backend: FakeBackend) {
  backend.settings.certificate = null;
  render(
    <BackendProvider backend={backend}>
      <SettingsScreen firstRun />
    </BackendProvider>,
  );
  return screen.findByRole("region", { name: "電子証明書の申請" });
}

async function apply(user: ReturnType<typeof userEvent.setup>, part: HTMLElement, officeUserId: string, password: string) {
  const id = within(part).getByLabelText("事業所ユーザID（KJ…）");
  await user.clear(id);
  await user.type(id, officeUserId);
  const issuance = within(part).getByLabelText("証明書発行用パスワード");
  await user.clear(issuance);
  if (password) await user.type(issuance, password);
  await user.click(within(part).getByRole("button", { name: "電子証明書を申請する" }));
}

describe("電子証明書の申請 in 設定", () => {
  it("proposes the portal of 接続先, requests with the KJ ID and the issuance password, and the certificate becomes 設定's", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    const part = await renderSettings(backend);
    expect(await within(part).findByDisplayValue("https://relay.example:8444")).toHaveAccessibleName("利用状況WebサイトのURL");
    expect(within(part).getByText(/端末名「受付PC」で表示されます/)).toBeInTheDocument();
    expect(within(part).getByLabelText("証明書発行用パスワード")).toHaveAttribute("type", "password");

    await apply(user, part, "KJ137000002601", ISSUANCE_PASSWORD);
    expect(await within(part).findByRole("status")).toHaveTextContent("電子証明書を申請し、取り込みました: 1370000026-01.pem");
    expect(backend.calls).toContain("requestCertificate");
    expect(backend.settings.certificate).toBe("/app/certificates/1370000026-01.pem");
    // The password is not kept on screen; 設定 shows the certificate now in use.
    expect(within(part).getByLabelText("証明書発行用パスワード")).toHaveValue("");
    expect(await screen.findByText("事業所の電子証明書（.p12 または .pem）: 1370000026-01.pem")).toBeInTheDocument();
  });

  it("explains a wrong issuance password, an HD ID and a missing password in Japanese, and keeps no certificate", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    const part = await renderSettings(backend);

    await apply(user, part, "KJ137000002601", "wrong");
    await waitFor(() => expect(within(part).getByRole("alert")).toHaveTextContent("証明書発行用パスワードが違います"));

    await apply(user, part, "HD137000002601", ISSUANCE_PASSWORD);
    await waitFor(() => expect(within(part).getByRole("alert")).toHaveTextContent("代理請求用"));

    await apply(user, part, "KJ137000002601", "");
    await waitFor(() => expect(within(part).getByRole("alert")).toHaveTextContent("証明書発行用パスワードを入力してください"));
    expect(backend.settings.certificate).toBeNull();
  });

  it("takes another portal address when typed, and refuses one that is not https://", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    const part = await renderSettings(backend);
    const url = await within(part).findByDisplayValue("https://relay.example:8444");
    await user.clear(url);
    await user.type(url, "http://portal.example");
    await apply(user, part, "KJ137000002601", ISSUANCE_PASSWORD);
    await waitFor(() => expect(within(part).getByRole("alert")).toHaveTextContent("https:// で始めてください"));
    expect(backend.settings.certificate).toBeNull();
  });
});

describe("a PC set up with a certificate requested from 設定", () => {
  it("stays in 設定 with the confirmation until ログイン画面へ, then logs in", async () => {
    const backend = new FakeBackend();
    backend.settings.certificate = null;
    const user = userEvent.setup();
    renderApp(backend);
    const part = await screen.findByRole("region", { name: "電子証明書の申請" });
    await apply(user, part, "KJ137000002601", ISSUANCE_PASSWORD);
    expect(await within(part).findByRole("status")).toHaveTextContent("電子証明書を申請し、取り込みました");
    // Ready to log in now, and still in 設定, the confirmation read.
    await waitFor(() => expect(backend.calls.filter((c) => c === "appInfo").length).toBeGreaterThan(1));
    expect(within(part).getByRole("status")).toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "個人ユーザIDでログイン" })).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "ログイン画面へ" }));
    expect(await screen.findByRole("heading", { name: "個人ユーザIDでログイン" })).toBeInTheDocument();
  });
});
