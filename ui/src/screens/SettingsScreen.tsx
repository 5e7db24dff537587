// 設定, for office staff: 端末名 and the save folder; the office's certificate taken in one guided
// step (the file, then its password, then what it says — 事業所名, 番号, 有効期限 — to confirm before
// it is taken); the relay's URL and CA, which a vendor's build presets, under 詳細設定; the log for
// the support desk. The .p12 password goes to the OS keyring, never to a file.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { relayPreset } from "../branding";
import { useBackend } from "../backend/BackendContext";
import { ask, queryKeys, usePracticeStatus, useSettings } from "../backend/queries";
import { useAction } from "../backend/useAction";
import type { ApiError } from "../bindings/ApiError";
import type { CertificateCheck } from "../bindings/CertificateCheck";
import type { Settings } from "../bindings/Settings";
import { ErrorAlert } from "../components/ErrorAlert";
import { Loaded, Loading, Outcome } from "../components/Loaded";
import { date } from "../components/format";
import { ja } from "../i18n";
import { CertificateRequest } from "./settings/CertificateRequest";
import { ResidentSettingsSection } from "./settings/ResidentSettingsSection";

const fileName = (path: string | null) => (path ? path.split(/[\\/]/).pop() ?? path : null);
const needsPassword = (path: string) => /\.(p12|pfx)$/i.test(path);

type Props = {
  firstRun?: boolean;
  onDone?: () => void;
  /** On a PC not yet set up (a classroom's), 練習モード needs no settings at all. */
  onStartPractice?: () => void;
};

export function SettingsScreen(props: Props) {
  const settings = useSettings();
  usePreset(settings.data);
  return <Loaded query={settings}>{(saved) => <SettingsForm saved={saved} {...props} />}</Loaded>;
}

/** A vendor's build brings its relay: taken once on a PC that has none yet. */
function usePreset(saved: Settings | undefined) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const asked = useRef(false);
  useEffect(() => {
    if (!relayPreset || !saved || asked.current) return;
    if (saved.relay_url !== "" || saved.ca_certificate !== null) return;
    asked.current = true;
    void ask(() => backend.applyRelayPreset(relayPreset!.url, relayPreset!.caPem, relayPreset!.portalUrl))
      .then(() => Promise.all([queryClient.invalidateQueries({ queryKey: queryKeys.settings }), queryClient.invalidateQueries({ queryKey: queryKeys.appInfo })]))
      .catch(() => undefined);
  }, [saved, backend, queryClient]);
}

/** The certificate being taken: chosen, its password asked (a .p12), then shown for confirmation. */
type Taking = { path: string; step: "password" } | { path: string; step: "confirm"; password: string | null; check: CertificateCheck };

/** `saved`: the settings as stored; the text fields are edited here until 保存. */
function SettingsForm({ saved, firstRun = false, onDone, onStartPractice }: Props & { saved: Settings }) {
  const backend = useBackend();
  const [relayUrl, setRelayUrl] = useState(saved.relay_url);
  // The stored relay can change under the form (the build's preset taken as it opened): the field
  // shows it, so that 接続先を保存 never writes back the empty address from before.
  const [portalAddress, setPortalAddress] = useState(saved.portal_address);
  const [relayShown, setRelayShown] = useState(saved.relay_url);
  if (relayShown !== saved.relay_url) {
    setRelayShown(saved.relay_url);
    setRelayUrl(saved.relay_url);
    setPortalAddress(saved.portal_address);
  }
  const [terminalName, setTerminalName] = useState(saved.terminal_name);
  const [certificatePassword, setCertificatePassword] = useState("");
  const [taking, setTaking] = useState<Taking | null>(null);
  const [inspectError, setInspectError] = useState<ApiError | null>(null);
  const [inspecting, setInspecting] = useState(false);
  // After each action, the settings as stored (a certificate imported, a folder chosen).
  const action = useAction({ rereads: [queryKeys.settings, queryKeys.appInfo] });
  const run = action.run;
  const settings = { ...saved, relay_url: relayUrl, terminal_name: terminalName, portal_address: portalAddress };
  const relaySet = saved.relay_url !== "" && saved.ca_certificate !== null;
  const practising = usePracticeStatus().data != null;

  const save = (event: FormEvent) => {
    event.preventDefault();
    run(async () => {
      await backend.saveSettings(settings);
      return ja.settings.saved;
    });
  };
  const chooseFolder = () =>
    run(async () => {
      const folder = await backend.chooseFolder(saved.save_folder);
      if (folder) await backend.saveSettings({ ...saved, save_folder: folder });
      return null;
    });
  const importCa = () =>
    run(async () => {
      const [path] = await backend.chooseFiles(["pem", "crt"]);
      if (path) await backend.importCaCertificate(path);
      return null;
    });
  const saveLogs = () =>
    run(async () => {
      const path = await backend.saveLogs();
      return path === null ? null : ja.settings.logsSaved(path);
    });

  /** Reads the certificate (with its password) and asks the relay whose it is; takes nothing yet. */
  async function inspect(path: string, password: string | null) {
    setInspecting(true);
    setInspectError(null);
    try {
      const check = await ask(() => backend.inspectCertificate(path, password));
      setTaking({ path, step: "confirm", password, check });
    } catch (error) {
      setInspectError(error as ApiError);
    } finally {
      setInspecting(false);
    }
  }
  async function chooseCertificate() {
    action.reset();
    setInspectError(null);
    const [path] = await backend.chooseFiles(["p12", "pfx", "pem"]);
    if (!path) return;
    setCertificatePassword("");
    if (needsPassword(path)) setTaking({ path, step: "password" });
    else await inspect(path, null);
  }
  const take = (path: string, password: string | null) =>
    run(async () => {
      const imported = await backend.importCertificate(path, password);
      setTaking(null);
      setCertificatePassword("");
      return [ja.settings.imported(imported.file_name), imported.ids_cleared ? ja.settings.idsCleared : "", imported.password_saved ? "" : ja.settings.passwordNotSaved].filter(Boolean).join(" ");
    });

  return (
    <section className="panel" aria-labelledby="settings-heading">
      <h2 id="settings-heading">{ja.settings.heading}</h2>
      {firstRun && <p>{ja.settings.firstRun}</p>}
      {firstRun && onStartPractice && (
        <p className="toolbar">
          {ja.practice.withoutSettings}
          <button className="button secondary" type="button" onClick={onStartPractice}>
            {ja.practice.start}
          </button>
        </p>
      )}
      <form className="form" onSubmit={save}>
        <label>
          {ja.settings.terminalName}
          <input type="text" value={terminalName} onChange={(e) => setTerminalName(e.target.value)} />
        </label>
        <div>
          <button className="button" type="submit">{ja.settings.save}</button>
        </div>
      </form>
      <div className="form" style={{ marginTop: "1rem" }}>
        <div>
          <div>{ja.settings.saveFolder(saved.save_folder ?? ja.settings.notChosen)}</div>
          <button className="button secondary" type="button" onClick={chooseFolder}>{ja.settings.chooseFolder}</button>
        </div>
      </div>
      <section className="certificate-step" aria-labelledby="certificate-heading">
        <h3 id="certificate-heading">{ja.settings.certificateHeading}</h3>
        <div>{ja.settings.certificate(fileName(saved.certificate) ?? ja.settings.notChosen)}</div>
        {!taking && (
          <button className="button secondary" type="button" onClick={() => void chooseCertificate()} disabled={inspecting}>
            {ja.settings.importCertificate}
          </button>
        )}
        {taking?.step === "password" && (
          <form
            className="form"
            onSubmit={(event) => {
              event.preventDefault();
              void inspect(taking.path, certificatePassword || null);
            }}
          >
            <p>{ja.settings.passwordStep(fileName(taking.path) ?? taking.path)}</p>
            <label>
              {ja.settings.certificatePassword}
              <input type="password" autoFocus value={certificatePassword} onChange={(e) => setCertificatePassword(e.target.value)} />
            </label>
            <div className="toolbar">
              <button className="button" type="submit" disabled={inspecting}>{ja.settings.next}</button>
              <button className="button secondary" type="button" onClick={() => setTaking(null)}>{ja.settings.cancel}</button>
            </div>
          </form>
        )}
        {inspecting && <Loading />}
        <ErrorAlert error={inspectError} />
        {taking?.step === "confirm" && <CertificateConfirm check={taking.check} onTake={() => take(taking.path, taking.password)} onCancel={() => setTaking(null)} busy={action.working} />}
      </section>
      <CertificateRequest saved={saved} />
      <details className="advanced" open={!relaySet && !relayPreset}>
        <summary>{ja.settings.advanced}</summary>
        <p className="muted">{relayPreset && relaySet ? ja.settings.presetApplied : ja.settings.advancedHint}</p>
        <form className="form" onSubmit={save}>
          <label>
            {ja.settings.relayUrl}
            <input type="url" value={relayUrl} placeholder="https://" onChange={(e) => setRelayUrl(e.target.value)} />
          </label>
          <label>
            {ja.settings.portalAddress}
            <input type="url" value={portalAddress} placeholder={ja.settings.portalAddressPlaceholder} aria-describedby="portal-address-hint" onChange={(e) => setPortalAddress(e.target.value)} />
          </label>
          <p className="muted" id="portal-address-hint">{ja.settings.portalAddressHint}</p>
          <div>
            <button className="button" type="submit">{ja.settings.saveAdvanced}</button>
          </div>
        </form>
        <div className="form" style={{ marginTop: "1rem" }}>
          <div>
            <div>{ja.settings.caCertificate(fileName(saved.ca_certificate) ?? ja.settings.notChosen)}</div>
            <button className="button secondary" type="button" onClick={importCa}>{ja.settings.importCa}</button>
          </div>
        </div>
      </details>
      {!firstRun && <ResidentSettingsSection saved={saved} locked={practising} />}
      <section aria-labelledby="logs-heading" style={{ marginTop: "1rem" }}>
        <h3 id="logs-heading">{ja.settings.logsHeading}</h3>
        <p className="muted">{ja.settings.logsHint}</p>
        <button className="button secondary" type="button" onClick={saveLogs}>{ja.settings.saveLogs}</button>
      </section>
      <Outcome done={action.result} error={action.error} />
      {onDone && (
        <div className="toolbar" style={{ marginTop: "1rem" }}>
          <button className="button" type="button" onClick={onDone}>{ja.settings.done}</button>
        </div>
      )}
    </section>
  );
}

/** What the certificate says, to confirm before it is taken. */
function CertificateConfirm({ check, onTake, onCancel, busy }: { check: CertificateCheck; onTake: () => void; onCancel: () => void; busy: boolean }) {
  const refused = check.relay_error !== null && check.relay_error.code.startsWith("auth.");
  return (
    <div className="panel certificate-confirm" role="group" aria-labelledby="certificate-confirm-heading">
      <h4 id="certificate-confirm-heading">{ja.settings.confirmHeading}</h4>
      <dl className="summary">
        <dt>{ja.settings.officeName}</dt>
        <dd>{check.office?.name ?? ja.settings.unknownName}</dd>
        <dt>{ja.settings.officeNumber}</dt>
        <dd>{check.office_number ?? ja.list.none}</dd>
        <dt>{ja.settings.validUntil}</dt>
        <dd>{date(check.not_after)}</dd>
      </dl>
      {check.expired && <div className="alert error">{ja.settings.expiredNote}</div>}
      {refused && (
        <div className="alert error">
          {ja.settings.notRegistered} {check.relay_error?.message}
        </div>
      )}
      <div className="toolbar">
        <button className="button" type="button" onClick={onTake} disabled={busy || check.expired || check.office_number === null}>
          {ja.settings.take}
        </button>
        <button className="button secondary" type="button" onClick={onCancel}>
          {ja.settings.cancel}
        </button>
      </div>
    </div>
  );
}
