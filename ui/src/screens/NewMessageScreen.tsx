// 新規作成: files for ONE office, dropped on the window or picked; each checked against the standard
// before anything is sent; the destination confirmed by name, number and service kind; 送信 or
// 一時保存 (a draft, which 下書き一覧 can reopen here).
import { useCallback, useEffect, useState } from "react";
import { asApiError } from "../backend/Backend";
import { useBackend } from "../backend/BackendContext";
import type { ApiError } from "../bindings/ApiError";
import type { FilesCheck } from "../bindings/FilesCheck";
import type { Office } from "../bindings/Office";
import type { OpenedDraft } from "../bindings/OpenedDraft";
import { ErrorAlert } from "../components/ErrorAlert";
import { useServiceKindLabels } from "../components/ServiceKinds";
import { ja } from "../i18n/ja";
import { tour } from "../tutorial/targets";
import { tourEvent } from "../tutorial/events";

export function NewMessageScreen({ draft }: { draft?: OpenedDraft | null }) {
  const backend = useBackend();
  const kindLabels = useServiceKindLabels();
  const [draftId, setDraftId] = useState<string | null>(draft?.draft.id ?? null);
  const [paths, setPaths] = useState<string[]>(draft?.paths ?? []);
  const [to, setTo] = useState(draft?.draft.to ?? "");
  const [office, setOffice] = useState<Office | null>(draft?.draft.to_office ?? null);
  const [message, setMessage] = useState(draft?.draft.message ?? "");
  const [check, setCheck] = useState<FilesCheck | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [working, setWorking] = useState(false);

  const addFiles = useCallback((added: string[]) => {
    setDone(null);
    setPaths((current) => [...current, ...added.filter((p) => !current.includes(p))]);
  }, []);

  useEffect(() => {
    let stop: (() => void) | undefined;
    backend.onFileDrop(addFiles).then((unlisten) => (stop = unlisten));
    return () => stop?.();
  }, [backend, addFiles]);

  useEffect(() => {
    if (paths.length === 0) {
      setCheck(null);
      return;
    }
    backend.checkFiles(paths).then(
      (checked) => {
        setCheck(checked);
        tourEvent("files-dropped");
      },
      (e) => setError(asApiError(e)),
    );
  }, [backend, paths]);

  async function confirmDestination() {
    setError(null);
    setOffice(null);
    try {
      setOffice(await backend.lookupOffice(to.trim()));
      tourEvent("destination-confirmed");
    } catch (e) {
      setError(asApiError(e));
    }
  }

  async function run(action: () => Promise<string>) {
    setWorking(true);
    setError(null);
    setDone(null);
    try {
      setDone(await action());
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setWorking(false);
    }
  }

  const send = () =>
    run(async () => {
      await backend.sendFiles(to.trim(), message, paths);
      // A draft that has been sent is done with.
      if (draftId) await backend.deleteDraft(draftId).catch(() => undefined);
      setPaths([]);
      setMessage("");
      setDraftId(null);
      tourEvent("sent");
      return ja.compose.sent;
    });
  const saveDraft = () =>
    run(async () => {
      const saved = await backend.saveDraft(draftId, to.trim(), message, paths);
      setDraftId(saved.id);
      tourEvent("draft-saved");
      return ja.compose.draftSaved;
    });

  const ready = paths.length > 0 && check?.ok === true && office !== null && office.number === to.trim();
  return (
    <section aria-label={ja.tabs.compose}>
      {draftId && <p className="muted">{ja.compose.editingDraft}</p>}
      <div className="panel" {...tour("compose-destination")}>
        <h2>{ja.compose.destination}</h2>
        <div className="toolbar">
          <label>
            {ja.compose.officeNumber}{" "}
            <input type="text" value={to} maxLength={10} onChange={(e) => { setTo(e.target.value); setOffice(null); }} />
          </label>
          <button className="button secondary" type="button" onClick={confirmDestination} disabled={to.trim() === ""}>
            {ja.compose.confirm}
          </button>
        </div>
        {office && (
          <div role="status" className="alert success">
            {ja.compose.confirmed(office.name, office.number, kindLabels(office.service_kinds))}
          </div>
        )}
      </div>
      <div className="panel dropzone" data-testid="dropzone" {...tour("compose-files")}>
        <h2>{ja.compose.files}</h2>
        <p className="muted">{ja.compose.dropHint}</p>
        <button className="button secondary" type="button" onClick={async () => addFiles(await backend.chooseFiles())}>
          {ja.compose.chooseFiles}
        </button>
        {check && (
          <ul className="file-checks">
            {check.files.map((f) => (
              <li key={f.path} className={f.ok ? "ok" : "ng"}>
                <span aria-label={f.ok ? ja.compose.fileOk : ja.compose.fileNg}>{f.ok ? "○" : "×"}</span> {f.name}（{f.kind_name}）
                <button className="link" type="button" onClick={() => setPaths(paths.filter((p) => p !== f.path))} aria-label={ja.compose.remove(f.name)}>
                  {ja.compose.removeShort}
                </button>
                {f.diagnostics.length > 0 && (
                  <ul>
                    {f.diagnostics.map((d, i) => (
                      <li key={i}>{d.line ? `${d.line}行目: ` : ""}{d.message}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
            {check.units.filter((u) => !u.ok).map((u) => (
              <li key={u.serial} className="ng">× {u.type_name}（{u.serial}）: {u.diagnostics.map((d) => d.message).join(" ")}</li>
            ))}
          </ul>
        )}
        {check && !check.ok && <div className="alert error" role="alert">{ja.compose.fixFiles}</div>}
      </div>
      <div className="panel">
        <label className="form">
          {ja.list.message}
          <textarea rows={3} value={message} maxLength={1000} onChange={(e) => setMessage(e.target.value)} />
        </label>
      </div>
      <div className="toolbar actions">
        <button className="button" type="button" onClick={send} disabled={!ready || working} {...tour("compose-send")}>
          {ja.compose.send}
        </button>
        <button className="button secondary" type="button" onClick={saveDraft} disabled={paths.length === 0 || working} {...tour("compose-save-draft")}>
          {ja.compose.saveDraft}
        </button>
        {!office && paths.length > 0 && <span className="muted">{ja.compose.confirmFirst}</span>}
        {/* In the bar that stays in view, so the outcome is seen where the button was pressed. */}
        {done && <div role="status" className="alert success">{done}</div>}
        <ErrorAlert error={error} />
      </div>
    </section>
  );
}
