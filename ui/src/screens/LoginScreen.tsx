// ログイン in two stages: 個人ユーザID, then 事業所ユーザID (seed 003). A failed second stage has used
// up the first at the relay, so the form goes back to the first stage and says so, with the IDs
// still typed: a wrong password never leaves the user on a stage that cannot succeed.
import { useState, type FormEvent } from "react";
import { useBackend } from "../backend/BackendContext";
import { useSettings } from "../backend/queries";
import { useAction } from "../backend/useAction";
import type { ApiError } from "../bindings/ApiError";
import type { Office } from "../bindings/Office";
import type { PracticeView } from "../bindings/PracticeView";
import type { Settings } from "../bindings/Settings";
import { ErrorAlert } from "../components/ErrorAlert";
import { Loading } from "../components/Loaded";
import { ja } from "../i18n";
import { Sentence } from "../i18n/Sentence";
import { SupportContact } from "../components/SupportContact";
import { tour } from "../tutorial/targets";
import { tourEvent, useTourHold } from "../tutorial/events";

type Props = {
  onLoggedIn: (office: Office) => void;
  onOpenSettings: () => void;
  /** 練習モード, when it runs: its IDs are shown for the trainee to type. */
  practice?: PracticeView | null;
  practiceError?: ApiError | null;
  onStartPractice?: () => void;
};

/** Waits for the remembered IDs; without settings (they could not be read) the fields start empty. */
export function LoginScreen(props: Props) {
  const settings = useSettings();
  if (settings.isPending) return <Loading />;
  return <LoginForm remembered={settings.data ?? null} {...props} />;
}

function LoginForm({ remembered, onLoggedIn, onOpenSettings, practice = null, practiceError = null, onStartPractice }: Props & { remembered: Settings | null }) {
  const backend = useBackend();
  const [stage, setStage] = useState<1 | 2>(1);
  const [personalId, setPersonalId] = useState(remembered?.personal_id ?? "");
  const [officeUserId, setOfficeUserId] = useState(remembered?.office_user_id ?? "");
  const [password, setPassword] = useState("");
  const [rememberPersonal, setRememberPersonal] = useState(Boolean(remembered?.personal_id));
  const [rememberOffice, setRememberOffice] = useState(Boolean(remembered?.office_user_id));
  const login = useAction<null>();
  /** The second stage failed: the first is to be done again. */
  const [again, setAgain] = useState(false);
  useTourHold("login-stage1", stage === 2);

  function submit(event: FormEvent) {
    event.preventDefault();
    login.run(async () => {
      if (stage === 1) {
        await backend.loginPersonal(personalId, password, rememberPersonal);
        setStage(2);
        tourEvent("login-stage1");
      } else {
        try {
          onLoggedIn(await backend.loginOffice(officeUserId, password, rememberOffice));
        } catch (failure) {
          setStage(1);
          setAgain(true);
          setPassword("");
          throw failure;
        }
        tourEvent("logged-in");
      }
      setAgain(false);
      setPassword("");
      return null;
    });
  }

  // At each stage the cursor waits where typing starts: the password when the ID is filled in. The
  // fields are new at each stage (their key), so this happens when the stage changes, not on every
  // keystroke in the ID field.
  const currentId = stage === 1 ? personalId : officeUserId;
  const idLabel = stage === 1 ? ja.login.personalId : ja.login.officeUserId;
  const idHint = stage === 1 ? ja.login.personalHint : ja.login.officeHint;
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
                <td><Sentence make={ja.login.passwordIs} parts={[<code>{practice.personal_password}</code>]} /></td>
              </tr>
              <tr>
                <th scope="row">{ja.login.officeUserId}</th>
                <td><code>{practice.office_user_id}</code></td>
                <td><Sentence make={ja.login.passwordIs} parts={[<code>{practice.office_password}</code>]} /></td>
              </tr>
            </tbody>
          </table>
        </section>
      )}
      <form className="form" onSubmit={submit} {...tour("login-form")}>
        <label>
          {idLabel}
          <input
            key={`id-${stage}`}
            aria-describedby={`login-id-hint-${stage}`}
            autoFocus={currentId === ""}
            type="text"
            autoComplete="username"
            value={currentId}
            onChange={(e) => (stage === 1 ? setPersonalId(e.target.value) : setOfficeUserId(e.target.value))}
          />
        </label>
        <span className="muted hint" id={`login-id-hint-${stage}`}>
          {idHint}
        </span>
        <label>
          {ja.login.password}
          <input
            key={`password-${stage}`}
            autoFocus={currentId !== ""}
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
        <ErrorAlert error={login.error ?? practiceError} />
        {again && stage === 1 && (
          <div className="alert warning" role="note">
            {ja.login.againFromStage1}
          </div>
        )}
        <div className="toolbar">
          <button className="button" type="submit" disabled={login.working}>
            {login.working ? ja.login.working : stage === 1 ? ja.login.next : ja.login.submit}
          </button>
          {stage === 2 && (
            <button className="button secondary" type="button" onClick={() => { setStage(1); setAgain(false); login.reset(); }}>
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
