// ログイン in two stages: 個人ユーザID, then 事業所ユーザID (seed 003).
import { useEffect, useState, type FormEvent } from "react";
import { asApiError } from "../backend/Backend";
import { useBackend } from "../backend/BackendContext";
import type { ApiError } from "../bindings/ApiError";
import type { Office } from "../bindings/Office";
import { ErrorAlert } from "../components/ErrorAlert";
import { ja } from "../i18n/ja";

export function LoginScreen({ onLoggedIn, onOpenSettings }: { onLoggedIn: (office: Office) => void; onOpenSettings: () => void }) {
  const backend = useBackend();
  const [stage, setStage] = useState<1 | 2>(1);
  const [personalId, setPersonalId] = useState("");
  const [officeUserId, setOfficeUserId] = useState("");
  const [password, setPassword] = useState("");
  const [rememberPersonal, setRememberPersonal] = useState(false);
  const [rememberOffice, setRememberOffice] = useState(false);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    backend.getSettings().then((settings) => {
      if (settings.personal_id) {
        setPersonalId(settings.personal_id);
        setRememberPersonal(true);
      }
      if (settings.office_user_id) {
        setOfficeUserId(settings.office_user_id);
        setRememberOffice(true);
      }
    });
  }, [backend]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setWorking(true);
    setError(null);
    try {
      if (stage === 1) {
        await backend.loginPersonal(personalId, password, rememberPersonal);
        setStage(2);
      } else {
        onLoggedIn(await backend.loginOffice(officeUserId, password, rememberOffice));
      }
      setPassword("");
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setWorking(false);
    }
  }

  const idLabel = stage === 1 ? ja.login.personalId : ja.login.officeUserId;
  return (
    <div className="login panel">
      <h2>{stage === 1 ? ja.login.stage1 : ja.login.stage2}</h2>
      <form className="form" onSubmit={submit}>
        <label>
          {idLabel}
          <input
            type="text"
            autoFocus
            autoComplete="username"
            value={stage === 1 ? personalId : officeUserId}
            onChange={(e) => (stage === 1 ? setPersonalId(e.target.value) : setOfficeUserId(e.target.value))}
          />
        </label>
        <label>
          {ja.login.password}
          <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <label style={{ display: "flex", gap: "0.4rem", alignItems: "center" }}>
          <input
            type="checkbox"
            checked={stage === 1 ? rememberPersonal : rememberOffice}
            onChange={(e) => (stage === 1 ? setRememberPersonal(e.target.checked) : setRememberOffice(e.target.checked))}
          />
          {ja.login.rememberId}
        </label>
        <ErrorAlert error={error} />
        <div className="toolbar">
          <button className="button" type="submit" disabled={working}>
            {working ? ja.login.working : stage === 1 ? ja.login.next : ja.login.submit}
          </button>
          {stage === 2 && (
            <button className="button secondary" type="button" onClick={() => { setStage(1); setError(null); }}>
              {ja.login.back}
            </button>
          )}
          <button className="button secondary" type="button" onClick={onOpenSettings}>
            {ja.login.toSettings}
          </button>
        </div>
      </form>
    </div>
  );
}
