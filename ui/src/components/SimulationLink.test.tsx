import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { BackendProvider } from "../backend/BackendContext";
import { FakeBackend } from "../test/fakeBackend";
import { renderApp } from "../test/renderApp";
import { SupportContact } from "./SupportContact";

describe("かんたんシミュレーション from the app's help", () => {
  it("opens the simulation on the portal of 接続先 from the login screen's お問い合わせ", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderApp(backend);
    const open = await screen.findByRole("button", { name: "かんたんシミュレーション（利用状況Webサイト）" });
    expect(open).toHaveAccessibleDescription("導入した場合の費用と時間の変化を試算できます。ブラウザで開きます。");
    await user.click(open);
    await waitFor(() => expect(backend.openedPortalPages).toEqual(["simulation"]));
  });

  it("is not offered before 接続先 is set, and says why when the browser could not be opened", async () => {
    const unset = new FakeBackend();
    unset.settings.relay_url = "";
    const { unmount } = render(
      <BackendProvider backend={unset}>
        <SupportContact />
      </BackendProvider>,
    );
    await waitFor(() => expect(unset.calls).toContain("appInfo"));
    expect(screen.queryByRole("button", { name: /かんたんシミュレーション/ })).not.toBeInTheDocument();
    unmount();

    const backend = new FakeBackend();
    backend.fail.openPortal = { code: "app.browser", message: "ブラウザを開けませんでした。ブラウザで https://relay.example:8444/simulation を開いてください。", diagnostics: [] };
    const user = userEvent.setup();
    render(
      <BackendProvider backend={backend}>
        <SupportContact />
      </BackendProvider>,
    );
    await user.click(await screen.findByRole("button", { name: /かんたんシミュレーション/ }));
    expect(await screen.findByRole("alert")).toHaveTextContent("https://relay.example:8444/simulation");
  });
});
