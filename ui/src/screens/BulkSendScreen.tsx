// 一括送信: files for many offices, routed by the destination in each file name. Per destination,
// 編集 adds a メッセージ and attachments; the result comes back per destination (成功 or why not).
import { useCallback, useEffect, useState } from "react";
import { asApiError } from "../backend/Backend";
import { useBackend } from "../backend/BackendContext";
import type { ApiError } from "../bindings/ApiError";
import type { BulkPlan } from "../bindings/BulkPlan";
import type { BulkResult } from "../bindings/BulkResult";
import type { OpenedDraft } from "../bindings/OpenedDraft";
import { ErrorAlert } from "../components/ErrorAlert";
import { ja } from "../i18n/ja";
import { tour } from "../tutorial/targets";
import { tourEvent } from "../tutorial/events";

/** The official limits of one bulk send (the relay enforces them too). */
export const MAX_DESTINATIONS = 50;
export const MAX_FILES = 100;

type Edit = { message: string; attachments: string[] };
const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path;

/** `fromDraft`: a draft of 新規作成 switched here from 下書き一覧; its attachments go to its destination. */
export function BulkSendScreen({ fromDraft = null }: { fromDraft?: OpenedDraft | null }) {
  const backend = useBackend();
  const [paths, setPaths] = useState<string[]>(fromDraft?.paths ?? []);
  const [draftId, setDraftId] = useState<string | null>(fromDraft?.draft.id ?? null);
  const [plan, setPlan] = useState<BulkPlan | null>(null);
  const [edits, setEdits] = useState<Record<string, Edit>>({});
  const [editing, setEditing] = useState<string | null>(null);
  const [results, setResults] = useState<BulkResult[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [working, setWorking] = useState(false);

  const addFiles = useCallback((added: string[]) => {
    setResults(null);
    setPaths((current) => [...current, ...added.filter((p) => !current.includes(p))]);
  }, []);

  useEffect(() => {
    let stop: (() => void) | undefined;
    backend.onFileDrop(addFiles).then((unlisten) => (stop = unlisten));
    return () => stop?.();
  }, [backend, addFiles]);

  useEffect(() => {
    if (paths.length === 0) {
      setPlan(null);
      return;
    }
    backend.planBulk(paths).then(
      (planned) => {
        setPlan(planned);
        tourEvent("bulk-planned");
      },
      (e) => setError(asApiError(e)),
    );
  }, [backend, paths]);

  // A switched draft: what has no destination in its name (its attachments) and its メッセージ belong
  // to the draft's destination. Done once, when the first grouping arrives.
  const [draftApplied, setDraftApplied] = useState(fromDraft === null);
  useEffect(() => {
    if (draftApplied || !plan || !fromDraft) return;
    const to = fromDraft.draft.to;
    setEdits((current) => ({ ...current, [to]: { message: fromDraft.draft.message, attachments: plan.unrouted } }));
    setPaths((current) => current.filter((p) => !plan.unrouted.includes(p)));
    setDraftApplied(true);
  }, [plan, fromDraft, draftApplied]);

  const edit = (office: string): Edit => edits[office] ?? { message: "", attachments: [] };
  const setEdit = (office: string, change: Partial<Edit>) => setEdits({ ...edits, [office]: { ...edit(office), ...change } });

  const destinations = plan?.destinations ?? [];
  const fileCount = destinations.reduce((n, d) => n + d.paths.length + edit(d.office_number).attachments.length, 0);
  const overLimit = destinations.length > MAX_DESTINATIONS || fileCount > MAX_FILES;

  async function send() {
    setWorking(true);
    setError(null);
    try {
      const routed = destinations.flatMap((d) => d.paths);
      const response = await backend.bulkSend(
        routed,
        destinations.map((d) => ({ office_number: d.office_number, message: edit(d.office_number).message, attachment_paths: edit(d.office_number).attachments })),
      );
      setResults(response.results);
      tourEvent("bulk-sent");
      if (response.results.every((r) => r.error === null)) {
        setPaths([]);
        setEdits({});
        // The draft has been sent: it leaves 下書き一覧.
        if (draftId) await backend.deleteDraft(draftId).catch(() => undefined);
        setDraftId(null);
      }
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setWorking(false);
    }
  }

  return (
    <section aria-label={ja.tabs.bulk}>
      <div className="panel dropzone" data-testid="bulk-dropzone" {...tour("bulk-files")}>
        <h2>{ja.bulk.files}</h2>
        <p className="muted">{ja.bulk.dropHint}</p>
        <button className="button secondary" type="button" onClick={async () => addFiles(await backend.chooseFiles(["CSV", "csv"]))}>
          {ja.compose.chooseFiles}
        </button>
      </div>
      {overLimit && (
        <div className="alert error" role="alert">
          {ja.bulk.overLimit(destinations.length, fileCount, MAX_DESTINATIONS, MAX_FILES)}
        </div>
      )}
      {plan && plan.unrouted.length > 0 && (
        <div className="alert warning">
          {ja.bulk.unrouted}
          <ul>{plan.unrouted.map((p) => <li key={p}>{baseName(p)}</li>)}</ul>
        </div>
      )}
      {destinations.length > 0 && (
        <table className="list">
          <thead>
            <tr>
              <th>{ja.list.receiver}</th>
              <th>{ja.list.fileName}</th>
              <th>{ja.list.message}</th>
              <th aria-label={ja.list.actionsColumn} />
            </tr>
          </thead>
          <tbody>
            {destinations.map((d) => (
              <tr key={d.office_number} data-testid={`destination-${d.office_number}`}>
                <td>
                  <div>{d.office ? d.office.name : <span className="error-text">{ja.bulk.unknownOffice}</span>}</div>
                  <div className="muted">{d.office_number}</div>
                </td>
                <td>
                  <ul className="files">
                    {d.paths.map((p) => <li key={p}>{baseName(p)}</li>)}
                    {edit(d.office_number).attachments.map((p) => <li key={p}>{baseName(p)}（{ja.bulk.attachment}）</li>)}
                  </ul>
                </td>
                <td>
                  {editing === d.office_number ? (
                    <>
                      <textarea aria-label={ja.bulk.messageFor(d.office_number)} rows={2} maxLength={1000} value={edit(d.office_number).message} onChange={(e) => setEdit(d.office_number, { message: e.target.value })} />
                      <button className="button secondary" type="button" onClick={async () => setEdit(d.office_number, { attachments: [...edit(d.office_number).attachments, ...(await backend.chooseFiles(["pdf", "jpg", "jpeg", "png", "gif", "txt"]))] })}>
                        {ja.bulk.addAttachment}
                      </button>
                    </>
                  ) : (
                    edit(d.office_number).message
                  )}
                </td>
                <td>
                  <button className="button secondary" type="button" onClick={() => setEditing(editing === d.office_number ? null : d.office_number)}>
                    {editing === d.office_number ? ja.bulk.closeEdit : ja.bulk.edit}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="toolbar actions">
        <button className="button" type="button" onClick={send} disabled={destinations.length === 0 || overLimit || working} {...tour("bulk-send")}>
          {ja.bulk.send}
        </button>
        <ErrorAlert error={error} />
      </div>
      {results && (
        <section className="panel" aria-label={ja.bulk.results}>
          <h2>{ja.bulk.results}</h2>
          <ul>
            {results.map((r, i) => (
              <li key={r.to ?? i} className={r.error ? "error-text" : undefined}>
                {r.office_name ?? ""}（{r.to ?? ja.list.none}）: {r.error ? r.error.message : ja.bulk.success(r.files.length)}
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
