// 設定 in a vendor's build whose theme presets the relay (its URL and CA): office staff only take
// their certificate; the relay sits, already set, under the closed 詳細設定.
import { render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { BackendProvider } from "../../backend/BackendContext";
import { FakeBackend } from "../../test/fakeBackend";
import { SettingsScreen } from "../SettingsScreen";

const PRESET = vi.hoisted(() => ({ url: "https://relay.aozora.example:8443", caPem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", portalUrl: "https://portal.aozora.example" }));

vi.mock("../../branding", async (original) => ({ ...(await original<typeof import("../../branding")>()), relayPreset: PRESET }));

function renderSettings(backend: FakeBackend) {
  return render(
    <BackendProvider backend={backend}>
      <SettingsScreen firstRun />
    </BackendProvider>,
  );
}

describe("設定 with the relay preset by the build", () => {
  it("takes the preset on a PC that has no relay yet and keeps 詳細設定 closed, saying it is set", async () => {
    const backend = new FakeBackend();
    backend.settings = { ...backend.settings, relay_url: "", ca_certificate: null };
    renderSettings(backend);
    await waitFor(() => expect(backend.settings.relay_url).toBe(PRESET.url));
    expect(backend.settings.ca_certificate).not.toBeNull();
    expect(backend.settings.portal_address, "the portal the vendor serves elsewhere").toBe(PRESET.portalUrl);
    expect(await screen.findByText("接続先と認証局の証明書は、このアプリに設定済みです。")).toBeInTheDocument();
    const advanced = screen.getByText("詳細設定（接続先・認証局）").closest("details")!;
    expect(advanced).not.toHaveAttribute("open");
    expect(screen.getByLabelText("接続先（URL）")).toHaveValue(PRESET.url);
    expect(screen.getByLabelText("利用状況Webサイトの接続先（URL）")).toHaveValue(PRESET.portalUrl);
    expect(backend.calls.filter((c) => c === "applyRelayPreset")).toHaveLength(1);
  });

  it("leaves a relay the office has already set alone", async () => {
    const backend = new FakeBackend();
    backend.settings = { ...backend.settings, relay_url: "https://relay.city.example:8443" };
    renderSettings(backend);
    expect(await screen.findByLabelText("接続先（URL）")).toHaveValue("https://relay.city.example:8443");
    expect(backend.calls).not.toContain("applyRelayPreset");
    expect(backend.settings.relay_url).toBe("https://relay.city.example:8443");
  });
});
