// 下書き一覧: drafts from every terminal of the office, with the 端末名 that saved them; open (back to
// 新規作成), delete, or send as saved.
import { useCallback, useEffect, useState } from "react";
import { asApiError } from "../backend/Backend";
import { useBackend } from "../backend/BackendContext";
import type { ApiError } from "../bindings/ApiError";
import type { Draft } from "../bindings/Draft";
import type { OpenedDraft } from "../bindings/OpenedDraft";
import { ErrorAlert } from "../components/ErrorAlert";
import { dateTime } from "../components/format";
import { ja } from "../i18n/ja";
import { tour } from "../tutorial/targets";

export function DraftsScreen({
  onOpen,
  onToBulk,
  confirm = (q) => window.confirm(q),
}: {
  onOpen: (draft: OpenedDraft) => void;
  onToBulk?: (draft: OpenedDraft) => void;
  confirm?: (question: string) => boolean;
}) {
  const backend = useBackend();
  const [drafts, setDrafts] = useState<Draft[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const load = useCallback(() => {
    backend.listDrafts().then(setDrafts, (e) => setError(asApiError(e)));
  }, [backend]);
  useEffect(load, [load]);

  async function act(action: () => Promise<string | null>) {
    setError(null);
    setDone(null);
    try {
      const message = await action();
      if (message) setDone(message);
      load();
    } catch (e) {
      setError(asApiError(e));
    }
  }

  return (
    <section aria-label={ja.tabs.drafts}>
      {done && <div role="status" className="alert success">{done}</div>}
      <ErrorAlert error={error} />
      {drafts === null ? (
        !error && <p className="muted">{ja.app.loading}</p>
      ) : drafts.length === 0 ? (
        <p className="muted">{ja.drafts.empty}</p>
      ) : (
        <table className="list" {...tour("drafts-table")}>
          <thead>
            <tr>
              <th>{ja.drafts.savedAt}</th>
              <th>{ja.drafts.terminal}</th>
              <th>{ja.list.message}</th>
              <th>{ja.list.receiver}</th>
              <th>{ja.list.fileName}</th>
              <th>{ja.list.fileKind}</th>
              <th aria-label={ja.list.actionsColumn} />
            </tr>
          </thead>
          <tbody>
            {drafts.map((d) => (
              <tr key={d.id} data-testid={`draft-${d.id}`}>
                <td>{dateTime(d.saved_at)}</td>
                <td>{d.terminal_name}</td>
                <td>{d.message}</td>
                <td>
                  <div>{d.to_office?.name ?? ""}</div>
                  <div className="muted">{d.to}</div>
                </td>
                <td>
                  <ul className="files">{d.files.map((f) => <li key={f.id}>{f.name}</li>)}</ul>
                </td>
                <td>
                  <ul className="files">{d.files.map((f) => <li key={f.id}>{ja.list.category[f.category]}</li>)}</ul>
                </td>
                <td>
                  <div className="toolbar">
                    <button className="button secondary" onClick={() => act(async () => { onOpen(await backend.openDraft(d.id)); return null; })}>
                      {ja.drafts.open}
                    </button>
                    {onToBulk && (
                      <button className="button secondary" onClick={() => act(async () => { onToBulk(await backend.openDraft(d.id)); return null; })}>
                        {ja.drafts.toBulk}
                      </button>
                    )}
                    <button className="button" onClick={() => act(async () => { await backend.sendDraft(d.id); return ja.drafts.sent; })}>
                      {ja.drafts.send}
                    </button>
                    <button
                      className="button secondary"
                      onClick={() => confirm(ja.drafts.confirmDelete) && act(async () => { await backend.deleteDraft(d.id); return ja.drafts.deleted; })}
                    >
                      {ja.drafts.delete}
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
