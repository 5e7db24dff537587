// 設定: 接続先, 端末名, 保存先フォルダ, and the two certificates (imported once; the .p12 password goes
// to the OS keyring, never to a file).
import { useEffect, useState, type FormEvent } from "react";
import { asApiError } from "../backend/Backend";
import { useBackend } from "../backend/BackendContext";
import type { ApiError } from "../bindings/ApiError";
import type { Settings } from "../bindings/Settings";
import { ErrorAlert } from "../components/ErrorAlert";
import { ja } from "../i18n/ja";

const fileName = (path: string | null) => (path ? path.split(/[\\/]/).pop() ?? path : null);

type Props = {
  firstRun?: boolean;
  onDone?: () => void;
  /** On a PC not yet set up (a classroom's), 練習モード needs no settings at all. */
  onStartPractice?: () => void;
};

export function SettingsScreen({ firstRun = false, onDone, onStartPractice }: Props) {
  const backend = useBackend();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [certificatePassword, setCertificatePassword] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    backend.getSettings().then(setSettings, (e) => setError(asApiError(e)));
  }, [backend]);

  async function run(action: () => Promise<string | null>) {
    setError(null);
    setNotice(null);
    try {
      const message = await action();
      setSettings(await backend.getSettings());
      if (message) setNotice(message);
    } catch (e) {
      setError(asApiError(e));
    }
  }

  if (!settings) return error ? <ErrorAlert error={error} /> : <p className="muted">{ja.app.loading}</p>;

  const save = (event: FormEvent) => {
    event.preventDefault();
    run(async () => {
      await backend.saveSettings(settings);
      return ja.settings.saved;
    });
  };
  const chooseFolder = () =>
    run(async () => {
      const folder = await backend.chooseFolder(settings.save_folder);
      if (folder) await backend.saveSettings({ ...settings, save_folder: folder });
      return null;
    });
  const importCa = () =>
    run(async () => {
      const [path] = await backend.chooseFiles(["pem", "crt"]);
      if (path) await backend.importCaCertificate(path);
      return null;
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
          <input type="url" value={settings.relay_url} placeholder="https://" onChange={(e) => setSettings({ ...settings, relay_url: e.target.value })} />
        </label>
        <label>
          {ja.settings.terminalName}
          <input type="text" value={settings.terminal_name} onChange={(e) => setSettings({ ...settings, terminal_name: e.target.value })} />
        </label>
        <div>
          <button className="button" type="submit">{ja.settings.save}</button>
        </div>
      </form>
      <div className="form" style={{ marginTop: "1rem" }}>
        <div>
          <div>{ja.settings.saveFolder}: {settings.save_folder ?? ja.settings.notChosen}</div>
          <button className="button secondary" type="button" onClick={chooseFolder}>{ja.settings.chooseFolder}</button>
        </div>
        <div>
          <div>{ja.settings.caCertificate}: {fileName(settings.ca_certificate) ?? ja.settings.notChosen}</div>
          <button className="button secondary" type="button" onClick={importCa}>{ja.settings.importCa}</button>
        </div>
        <div>
          <div>{ja.settings.certificate}: {fileName(settings.certificate) ?? ja.settings.notChosen}</div>
          <label>
            {ja.settings.certificatePassword}
            <input type="password" value={certificatePassword} onChange={(e) => setCertificatePassword(e.target.value)} />
          </label>
          <button className="button secondary" type="button" onClick={importCertificate}>{ja.settings.importCertificate}</button>
        </div>
      </div>
      {notice && <div role="status" className="alert success">{notice}</div>}
      <ErrorAlert error={error} />
      {onDone && (
        <div className="toolbar" style={{ marginTop: "1rem" }}>
          <button className="button" type="button" onClick={onDone}>{ja.settings.done}</button>
        </div>
      )}
    </section>
  );
}
