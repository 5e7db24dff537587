// 設定: 接続先, 端末名, 保存先フォルダ, and the two certificates (imported once; the .p12 password goes
// to the OS keyring, never to a file).
import { useState, type FormEvent } from "react";
import { useBackend } from "../backend/BackendContext";
import { queryKeys, useSettings } from "../backend/queries";
import { useAction } from "../backend/useAction";
import type { Settings } from "../bindings/Settings";
import { Loaded, Outcome } from "../components/Loaded";
import { ja } from "../i18n";
import { CertificateRequest } from "./settings/CertificateRequest";

const fileName = (path: string | null) => (path ? path.split(/[\\/]/).pop() ?? path : null);

type Props = {
  firstRun?: boolean;
  onDone?: () => void;
  /** On a PC not yet set up (a classroom's), 練習モード needs no settings at all. */
  onStartPractice?: () => void;
};

export function SettingsScreen(props: Props) {
  const settings = useSettings();
  return <Loaded query={settings}>{(saved) => <SettingsForm saved={saved} {...props} />}</Loaded>;
}

/** `saved`: the settings as stored; the two text fields are edited here until 保存. */
function SettingsForm({ saved, firstRun = false, onDone, onStartPractice }: Props & { saved: Settings }) {
  const backend = useBackend();
  const [relayUrl, setRelayUrl] = useState(saved.relay_url);
  const [terminalName, setTerminalName] = useState(saved.terminal_name);
  const [certificatePassword, setCertificatePassword] = useState("");
  // After each action, the settings as stored (a certificate imported, a folder chosen).
  const action = useAction({ rereads: [queryKeys.settings] });
  const run = action.run;
  const settings = { ...saved, relay_url: relayUrl, terminal_name: terminalName };

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
  const importCertificate = () =>
    run(async () => {
      const [path] = await backend.chooseFiles(["p12", "pfx", "pem"]);
      if (!path) return null;
      const imported = await backend.importCertificate(path, certificatePassword || null);
      setCertificatePassword("");
      return ja.settings.imported(imported.file_name);
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
          {ja.settings.relayUrl}
          <input type="url" value={relayUrl} placeholder="https://" onChange={(e) => setRelayUrl(e.target.value)} />
        </label>
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
        <div>
          <div>{ja.settings.caCertificate(fileName(saved.ca_certificate) ?? ja.settings.notChosen)}</div>
          <button className="button secondary" type="button" onClick={importCa}>{ja.settings.importCa}</button>
        </div>
        <div>
          <div>{ja.settings.certificate(fileName(saved.certificate) ?? ja.settings.notChosen)}</div>
          <label>
            {ja.settings.certificatePassword}
            <input type="password" value={certificatePassword} onChange={(e) => setCertificatePassword(e.target.value)} />
          </label>
          <button className="button secondary" type="button" onClick={importCertificate}>{ja.settings.importCertificate}</button>
        </div>
      </div>
      <CertificateRequest saved={saved} />
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
