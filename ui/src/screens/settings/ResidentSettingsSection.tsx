// 設定's 受信通知と自動取得, per PC: a notification when data arrives (and, if wanted, when a partner
// takes what this office sent), quiet hours, and 自動取得 into a folder of the office's choosing,
// optionally a subfolder per sender or per month. Locked in 練習モード, as all of 設定 is.
import { useState, type FormEvent } from "react";
import { useBackend } from "../../backend/BackendContext";
import { queryKeys } from "../../backend/queries";
import { useAction } from "../../backend/useAction";
import type { AutoFetchSubfolders } from "../../bindings/AutoFetchSubfolders";
import type { ResidentSettings } from "../../bindings/ResidentSettings";
import type { Settings } from "../../bindings/Settings";
import { Outcome } from "../../components/Loaded";
import { ja } from "../../i18n";

const SUBFOLDERS: AutoFetchSubfolders[] = ["none", "per_sender", "per_month"];

export function ResidentSettingsSection({ saved, locked }: { saved: Settings; locked: boolean }) {
  const backend = useBackend();
  const t = ja.settings.resident;
  const [edited, setEdited] = useState<ResidentSettings>(saved.resident);
  const action = useAction({ rereads: [queryKeys.settings] });
  const change = (patch: Partial<ResidentSettings>) => setEdited((current) => ({ ...current, ...patch }));
  const save = (resident: ResidentSettings) =>
    action.run(async () => {
      const stored = await backend.saveSettings({ ...saved, resident });
      setEdited(stored.resident);
      return t.saved;
    });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save(edited);
  };
  const chooseFolder = () =>
    action.run(async () => {
      const folder = await backend.chooseFolder(edited.auto_fetch_folder ?? saved.save_folder);
      if (!folder) return null;
      const stored = await backend.saveSettings({ ...saved, resident: { ...edited, auto_fetch_folder: folder } });
      setEdited(stored.resident);
      return t.autoFetchOn(folder);
    });

  return (
    <section aria-labelledby="resident-heading" style={{ marginTop: "1rem" }}>
      <h3 id="resident-heading">{t.heading}</h3>
      {locked && <p className="muted">{t.locked}</p>}
      <form className="form" onSubmit={submit}>
        <fieldset disabled={locked}>
          <legend>{t.notifications}</legend>
          <label>
            <input type="checkbox" checked={edited.notify_arrivals} onChange={(e) => change({ notify_arrivals: e.target.checked })} /> {t.notifyArrivals}
          </label>
          <label>
            <input type="checkbox" checked={edited.notify_taken} onChange={(e) => change({ notify_taken: e.target.checked })} /> {t.notifyTaken}
          </label>
          <div className="toolbar">
            <label>
              {t.quietFrom}
              <input type="text" inputMode="numeric" placeholder="22:00" size={6} value={edited.quiet_from} onChange={(e) => change({ quiet_from: e.target.value })} />
            </label>
            <label>
              {t.quietUntil}
              <input type="text" inputMode="numeric" placeholder="07:00" size={6} value={edited.quiet_until} onChange={(e) => change({ quiet_until: e.target.value })} />
            </label>
          </div>
          <p className="muted">{t.quietHint}</p>
        </fieldset>
        <fieldset disabled={locked}>
          <legend>{t.autoFetch}</legend>
          <p className="muted">{t.autoFetchHint}</p>
          <div>{edited.auto_fetch_folder ? t.autoFetchFolder(edited.auto_fetch_folder) : t.autoFetchOff}</div>
          <div className="toolbar">
            <button className="button secondary" type="button" onClick={chooseFolder}>
              {edited.auto_fetch_folder ? t.changeFolder : t.chooseFolder}
            </button>
            {edited.auto_fetch_folder && (
              <button className="button secondary" type="button" onClick={() => save({ ...edited, auto_fetch_folder: null })}>
                {t.turnOff}
              </button>
            )}
          </div>
          <label>
            {t.subfolders}
            <select value={edited.auto_fetch_subfolders} onChange={(e) => change({ auto_fetch_subfolders: e.target.value as AutoFetchSubfolders })}>
              {SUBFOLDERS.map((s) => (
                <option key={s} value={s}>
                  {t.subfolder[s]}
                </option>
              ))}
            </select>
          </label>
        </fieldset>
        <div>
          <button className="button" type="submit" disabled={locked}>
            {t.save}
          </button>
        </div>
      </form>
      <Outcome done={action.result} error={action.error} />
    </section>
  );
}
