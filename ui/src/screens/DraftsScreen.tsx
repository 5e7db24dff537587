// 下書き一覧: drafts from every terminal of the office, with the 端末名 that saved them; open (back to
// 新規作成), delete, or send as saved.
import { useBackend } from "../backend/BackendContext";
import { queryKeys, useDrafts } from "../backend/queries";
import { useAction } from "../backend/useAction";
import type { Draft } from "../bindings/Draft";
import type { OpenedDraft } from "../bindings/OpenedDraft";
import { Loaded, Outcome } from "../components/Loaded";
import { dateTime } from "../components/format";
import { ja } from "../i18n";
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
  const drafts = useDrafts();
  // Each action is followed by the lists as the relay now has them (a sent draft is gone from one,
  // and in 送信一覧).
  const action = useAction({ rereads: [queryKeys.drafts, queryKeys.messages] });
  const act = action.run;
  const rows: RowActions = {
    open: (id) => act(async () => { onOpen(await backend.openDraft(id)); return null; }),
    toBulk: onToBulk && ((id) => act(async () => { onToBulk(await backend.openDraft(id)); return null; })),
    send: (id) =>
      act(async () => {
        await backend.sendDraft(id);
        return ja.drafts.sent;
      }),
    remove: (id) => {
      if (confirm(ja.drafts.confirmDelete)) act(async () => { await backend.deleteDraft(id); return ja.drafts.deleted; });
    },
  };

  return (
    <section aria-label={ja.tabs.drafts}>
      <Outcome done={action.result} error={action.error} />
      <Loaded query={drafts}>
        {(listed) => (listed.length === 0 ? <p className="muted">{ja.drafts.empty}</p> : <DraftTable drafts={listed} actions={rows} />)}
      </Loaded>
    </section>
  );
}

type RowActions = {
  open: (id: string) => void;
  toBulk?: (id: string) => void;
  send: (id: string) => void;
  remove: (id: string) => void;
};

function DraftTable({ drafts, actions }: { drafts: Draft[]; actions: RowActions }) {
  return (
    <table className="list" {...tour("drafts-table")}>
      <thead>
        <tr>
          <th>{ja.drafts.savedAt}</th>
          <th>{ja.drafts.terminal}</th>
          <th>{ja.drafts.savedBy}</th>
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
            <td>{d.saved_by ? ja.list.person(d.saved_by.name, d.saved_by.id) : ja.list.none}</td>
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
                <button className="button secondary" onClick={() => actions.open(d.id)}>
                  {ja.drafts.open}
                </button>
                {actions.toBulk && (
                  <button className="button secondary" onClick={() => actions.toBulk?.(d.id)}>
                    {ja.drafts.toBulk}
                  </button>
                )}
                <button className="button" onClick={() => actions.send(d.id)}>
                  {ja.drafts.send}
                </button>
                <button className="button secondary" onClick={() => actions.remove(d.id)}>
                  {ja.drafts.delete}
                </button>
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
