// ログイン in two stages: 個人ユーザID, then 事業所ユーザID (seed 003).
import { useEffect, useRef, useState, type FormEvent } from "react";
import { asApiError } from "../backend/Backend";
import { useBackend } from "../backend/BackendContext";
import type { ApiError } from "../bindings/ApiError";
import type { Office } from "../bindings/Office";
import type { PracticeView } from "../bindings/PracticeView";
import { ErrorAlert } from "../components/ErrorAlert";
import { ja } from "../i18n/ja";
import { SupportContact } from "../components/SupportContact";
import { tour } from "../tutorial/targets";
import { tourEvent } from "../tutorial/events";

type Props = {
  onLoggedIn: (office: Office) => void;
  onOpenSettings: () => void;
  /** 練習モード, when it runs: its IDs are shown for the trainee to type. */
  practice?: PracticeView | null;
  practiceError?: ApiError | null;
  onStartPractice?: () => void;
};

export function LoginScreen({ onLoggedIn, onOpenSettings, practice = null, practiceError = null, onStartPractice }: Props) {
  const backend = useBackend();
  const [stage, setStage] = useState<1 | 2>(1);
  const [personalId, setPersonalId] = useState("");
  const [officeUserId, setOfficeUserId] = useState("");
  const [password, setPassword] = useState("");
  const [rememberPersonal, setRememberPersonal] = useState(false);
  const [rememberOffice, setRememberOffice] = useState(false);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [settingsRead, setSettingsRead] = useState(false);
  const idInput = useRef<HTMLInputElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    backend
      .getSettings()
      .then((settings) => {
        if (settings.personal_id) {
          setPersonalId(settings.personal_id);
          setRememberPersonal(true);
        }
        if (settings.office_user_id) {
          setOfficeUserId(settings.office_user_id);
          setRememberOffice(true);
        }
      })
      .finally(() => setSettingsRead(true));
  }, [backend]);

  // At each stage the cursor waits where typing starts: the password when the ID is filled in.
  // (Only when the stage changes, not on every keystroke in the ID field.)
  const currentId = stage === 1 ? personalId : officeUserId;
  useEffect(() => {
    if (settingsRead) (currentId ? passwordInput : idInput).current?.focus();
  }, [stage, settingsRead]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setWorking(true);
    setError(null);
    try {
      if (stage === 1) {
        await backend.loginPersonal(personalId, password, rememberPersonal);
        setStage(2);
        tourEvent("login-stage1");
      } else {
        onLoggedIn(await backend.loginOffice(officeUserId, password, rememberOffice));
        tourEvent("logged-in");
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
      {practice && (
        <section className="practice-ids" aria-label={ja.practice.idsHeading} {...tour("practice-ids")}>
          <h3>{ja.practice.idsHeading}</h3>
          <p>{ja.practice.idsIntro(practice.office_name)}</p>
          <table>
            <tbody>
              <tr>
                <th scope="row">{ja.login.personalId}</th>
                <td><code>{practice.personal_user_id}</code></td>
                <td>{ja.login.password}: <code>{practice.personal_password}</code></td>
              </tr>
              <tr>
                <th scope="row">{ja.login.officeUserId}</th>
                <td><code>{practice.office_user_id}</code></td>
                <td>{ja.login.password}: <code>{practice.office_password}</code></td>
              </tr>
            </tbody>
          </table>
        </section>
      )}
      <form className="form" onSubmit={submit} {...tour("login-form")}>
        <label>
          {idLabel}
          <input
            ref={idInput}
            type="text"
            autoComplete="username"
            value={stage === 1 ? personalId : officeUserId}
            onChange={(e) => (stage === 1 ? setPersonalId(e.target.value) : setOfficeUserId(e.target.value))}
          />
        </label>
        <label>
          {ja.login.password}
          <input
            ref={passwordInput}
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {!practice && (
        <label style={{ display: "flex", gap: "0.4rem", alignItems: "center" }}>
          <input
            type="checkbox"
            checked={stage === 1 ? rememberPersonal : rememberOffice}
            onChange={(e) => (stage === 1 ? setRememberPersonal(e.target.checked) : setRememberOffice(e.target.checked))}
          />
          {ja.login.rememberId}
        </label>
        )}
        <ErrorAlert error={error ?? practiceError} />
        <div className="toolbar">
          <button className="button" type="submit" disabled={working}>
            {working ? ja.login.working : stage === 1 ? ja.login.next : ja.login.submit}
          </button>
          {stage === 2 && (
            <button className="button secondary" type="button" onClick={() => { setStage(1); setError(null); }}>
              {ja.login.back}
            </button>
          )}
          {!practice && (
            <button className="button secondary" type="button" onClick={onOpenSettings}>
              {ja.login.toSettings}
            </button>
          )}
          {!practice && onStartPractice && (
            <button className="button secondary" type="button" onClick={onStartPractice}>
              {ja.practice.start}
            </button>
          )}
        </div>
      </form>
      {!practice && <SupportContact />}
    </div>
  );
}
