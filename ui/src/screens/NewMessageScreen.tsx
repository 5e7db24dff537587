// 新規作成: files for ONE office, dropped on the window or picked; each checked against the standard
// before anything is sent; the destination confirmed by name, number and service kind; 送信 or
// 一時保存 (a draft, which 下書き一覧 can reopen here).
import { useMutation } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import { useBackend } from "../backend/BackendContext";
import { ask, queryKeys, useFileCheck } from "../backend/queries";
import { useAction } from "../backend/useAction";
import type { OpenedDraft } from "../bindings/OpenedDraft";
import { CheckMark } from "../components/CheckMark";
import { ErrorAlert } from "../components/ErrorAlert";
import { Loading, Outcome } from "../components/Loaded";
import { useServiceKindLabels } from "../components/ServiceKinds";
import { ja } from "../i18n";
import { tour } from "../tutorial/targets";
import { tourEvent } from "../tutorial/events";

export function NewMessageScreen({ draft }: { draft?: OpenedDraft | null }) {
  const backend = useBackend();
  const kindLabels = useServiceKindLabels();
  const [draftId, setDraftId] = useState<string | null>(draft?.draft.id ?? null);
  const [paths, setPaths] = useState<string[]>(draft?.paths ?? []);
  const [to, setTo] = useState(draft?.draft.to ?? "");
  const [message, setMessage] = useState(draft?.draft.message ?? "");
  const check = useFileCheck(paths);
  const lookup = useMutation({ mutationFn: (number: string) => ask(() => backend.lookupOffice(number)) });
  // A send or a draft changes 下書き一覧 (the relay removes a sent draft with the send) and 送信一覧.
  const action = useAction({ rereads: [queryKeys.drafts, queryKeys.messages] });
  const { reset: resetAction } = action;

  const addFiles = useCallback(
    (added: string[]) => {
      resetAction();
      setPaths((current) => [...current, ...added.filter((p) => !current.includes(p))]);
    },
    [resetAction],
  );

  useEffect(() => {
    let stop: (() => void) | undefined;
    void backend.onFileDrop(addFiles).then((unlisten) => (stop = unlisten));
    return () => stop?.();
  }, [backend, addFiles]);

  // What is shown may still be the answer about the previous list (while the current one is being
  // checked); only the answer about the files as they are now counts.
  const checked = check.isPlaceholderData ? undefined : check.data;
  useEffect(() => {
    if (checked) tourEvent("files-dropped");
  }, [checked]);

  // The destination as confirmed for the number now typed (a draft's, until the number is changed).
  const number = to.trim();
  const office =
    lookup.data && lookup.variables === number
      ? lookup.data
      : lookup.isIdle && draft?.draft.to_office?.number === number
        ? draft.draft.to_office
        : null;

  function confirmDestination() {
    lookup.mutate(number, { onSuccess: () => tourEvent("destination-confirmed") });
  }

  const send = () =>
    action.run(async () => {
      await backend.sendFiles(number, message, paths, draftId);
      setPaths([]);
      setMessage("");
      setDraftId(null);
      tourEvent("sent");
      return ja.compose.sent;
    });
  const saveDraft = () =>
    action.run(async () => {
      const saved = await backend.saveDraft(draftId, number, message, paths);
      setDraftId(saved.id);
      tourEvent("draft-saved");
      return ja.compose.draftSaved;
    });

  const ready = paths.length > 0 && checked?.ok === true && office !== null;
  return (
    <section aria-label={ja.tabs.compose}>
      {draftId && <p className="muted">{ja.compose.editingDraft}</p>}
      <div className="panel" {...tour("compose-destination")}>
        <h2>{ja.compose.destination}</h2>
        <div className="toolbar">
          <label>
            {ja.compose.officeNumber}{" "}
            <input type="text" value={to} maxLength={10} onChange={(e) => setTo(e.target.value)} />
          </label>
          <button className="button secondary" type="button" onClick={confirmDestination} disabled={number === "" || lookup.isPending}>
            {ja.compose.confirm}
          </button>
        </div>
        {office && (
          <div role="status" className="alert success">
            {ja.compose.confirmed(office.name, office.number, kindLabels(office.service_kinds).join(ja.list.kindSeparator))}
          </div>
        )}
        {lookup.variables === number && <ErrorAlert error={lookup.error} />}
      </div>
      <div className="panel dropzone" data-testid="dropzone" {...tour("compose-files")}>
        <h2>{ja.compose.files}</h2>
        <p className="muted">{ja.compose.dropHint}</p>
        <button className="button secondary" type="button" onClick={async () => addFiles(await backend.chooseFiles())}>
          {ja.compose.chooseFiles}
        </button>
        <ErrorAlert error={check.error} />
        {check.isFetching && <Loading text={ja.compose.checking} />}
        {check.data && (
          <ul className="file-checks" aria-busy={check.isPlaceholderData}>
            {check.data.files.map((f) => (
              <li key={f.path} className={f.ok ? "ok" : "ng"}>
                <CheckMark ok={f.ok} /> {ja.compose.fileLine(f.name, f.kind_name)}
                <button className="link" type="button" onClick={() => setPaths((current) => current.filter((p) => p !== f.path))} aria-label={ja.compose.remove(f.name)}>
                  {ja.compose.removeShort}
                </button>
                {f.diagnostics.length > 0 && (
                  <ul>
                    {f.diagnostics.map((d, i) => (
                      <li key={i}>{d.line ? ja.compose.atLine(d.line, d.message) : d.message}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
            {check.data.units.filter((u) => !u.ok).map((u) => (
              <li key={u.serial} className="ng">
                <CheckMark ok={false} /> {ja.compose.unitProblem(u.type_name, u.serial, u.diagnostics.map((d) => d.message).join(" "))}
              </li>
            ))}
          </ul>
        )}
        {checked && !checked.ok && <div className="alert error" role="alert">{ja.compose.fixFiles}</div>}
      </div>
      <div className="panel">
        <label className="form">
          {ja.list.message}
          <textarea rows={3} value={message} maxLength={1000} onChange={(e) => setMessage(e.target.value)} />
        </label>
      </div>
      <div className="toolbar actions">
        <button className="button" type="button" onClick={send} disabled={!ready || action.working} {...tour("compose-send")}>
          {ja.compose.send}
        </button>
        <button className="button secondary" type="button" onClick={saveDraft} disabled={paths.length === 0 || action.working} {...tour("compose-save-draft")}>
          {ja.compose.saveDraft}
        </button>
        {!office && paths.length > 0 && <span className="muted">{ja.compose.confirmFirst}</span>}
        {/* In the bar that stays in view, so the outcome is seen where the button was pressed. */}
        <Outcome done={action.result} error={action.error} />
      </div>
    </section>
  );
}
