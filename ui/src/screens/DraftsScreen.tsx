// 下書き一覧: drafts from every terminal of the office, with the 端末名 that saved them and what each
// holds in words (title and 利用者 of each send unit), each checked
// against the standard (a broken one is marked and cannot be sent as it is); open (back to 新規作成),
// switch to 一括送信, delete (asked first), or send as saved (after the same confirmation as
// 新規作成's 送信).
import { useState } from "react";
import { useBackend } from "../backend/BackendContext";
import { FormViewerDialog } from "../forms/FormViewerDialog";
import { queryKeys, useDraftCheck, useDrafts, useEarlierSends } from "../backend/queries";
import { useAction } from "../backend/useAction";
import type { Draft } from "../bindings/Draft";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { ErrorAlert } from "../components/ErrorAlert";
import { FileKinds } from "../components/FileKinds";
import { Loaded, Outcome } from "../components/Loaded";
import { UnitContents } from "../components/UnitContents";
import { dateTime } from "../components/format";
import { ja } from "../i18n";
import { tour } from "../tutorial/targets";
import { earlierLines, SendSummary } from "./NewMessageScreen";

type Props = {
  /** 開く: the draft into 新規作成. */
  onOpen: (id: string) => void;
  /** 一括送信へ: the draft into 一括送信. */
  onToBulk?: (id: string) => void;
};

type Asking = { what: "send" | "delete"; draft: Draft } | null;

export function DraftsScreen({ onOpen, onToBulk }: Props) {
  const backend = useBackend();
  const drafts = useDrafts();
  // Each action is followed by the lists as the relay now has them (a sent draft is gone from one,
  // and in 送信一覧).
  const action = useAction({ rereads: [queryKeys.drafts, queryKeys.messages, queryKeys.earlierSends] });
  const [asking, setAsking] = useState<Asking>(null);

  const send = (draft: Draft) => {
    setAsking(null);
    action.run(async () => {
      await backend.sendDraft(draft.id);
      return ja.drafts.sent;
    });
  };
  const remove = (draft: Draft) => {
    setAsking(null);
    action.run(async () => {
      await backend.deleteDraft(draft.id);
      return ja.drafts.deleted;
    });
  };

  return (
    <section aria-label={ja.tabs.drafts}>
      <Outcome done={action.result} error={action.error} />
      <Loaded query={drafts}>
        {(listed) =>
          listed.length === 0 ? (
            <p className="muted">{ja.drafts.empty}</p>
          ) : (
            <table className="list" {...tour("drafts-table")}>
              {/* The file names are long and unbroken: theirs is the widest column. */}
              <colgroup>
                <col style={{ width: "8%" }} />
                <col style={{ width: "7%" }} />
                <col style={{ width: "9%" }} />
                <col style={{ width: "14%" }} />
                <col style={{ width: "9%" }} />
                <col style={{ width: "11%" }} />
                <col />
                <col style={{ width: "11%" }} />
                <col style={{ width: "11%" }} />
              </colgroup>
              <thead>
                <tr>
                  <th>{ja.drafts.savedAt}</th>
                  <th>{ja.drafts.terminal}</th>
                  <th>{ja.drafts.savedBy}</th>
                  <th>{ja.list.contents}</th>
                  <th>{ja.list.message}</th>
                  <th>{ja.list.receiver}</th>
                  <th>{ja.list.fileName}</th>
                  <th>{ja.list.fileKind}</th>
                  <th aria-label={ja.list.actionsColumn} />
                </tr>
              </thead>
              <tbody>
                {listed.map((d) => (
                  <DraftRow
                    key={d.id}
                    draft={d}
                    busy={action.working}
                    onOpen={() => onOpen(d.id)}
                    onToBulk={onToBulk && (() => onToBulk(d.id))}
                    onSend={() => setAsking({ what: "send", draft: d })}
                    onDelete={() => setAsking({ what: "delete", draft: d })}
                  />
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
      {asking?.what === "send" && <SendDraftDialog draft={asking.draft} onSend={() => send(asking.draft)} onCancel={() => setAsking(null)} />}
      {asking?.what === "delete" && (
        <ConfirmDialog
          heading={ja.drafts.confirmDelete}
          onCancel={() => setAsking(null)}
          // What cannot be undone waits for a deliberate choice: the focus starts on やめる.
          initialFocus={1}
          actions={[
            { label: ja.drafts.delete, onClick: () => remove(asking.draft), primary: true },
            { label: ja.confirm.cancel, onClick: () => setAsking(null) },
          ]}
        >
          <p>{ja.drafts.confirmDeleteDetail(destinationOf(asking.draft), asking.draft.files.length)}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

const destinationOf = (d: Draft) => (d.to_office ? ja.app.officeLabel(d.to_office.name, d.to) : d.to);

type RowProps = { draft: Draft; busy: boolean; onOpen: () => void; onToBulk?: () => void; onSend: () => void; onDelete: () => void };

function DraftRow({ draft: d, busy, onOpen, onToBulk, onSend, onDelete }: RowProps) {
  const check = useDraftCheck(d.id, d.saved_at);
  const [viewing, setViewing] = useState(false);
  const broken = check.data !== undefined && !check.data.ok;
  return (
    <tr data-testid={`draft-${d.id}`} className={broken ? "broken" : undefined}>
      <td>{dateTime(d.saved_at)}</td>
      <td>{d.terminal_name}</td>
      <td>{d.saved_by ? ja.list.person(d.saved_by.name, d.saved_by.id) : ja.list.none}</td>
      <td>{check.data ? <UnitContents units={check.data.units} /> : check.isPending && <span className="muted">{ja.drafts.checking}</span>}</td>
      <td>{d.message}</td>
      <td>
        <div>{d.to_office?.name ?? ""}</div>
        <div className="muted">{d.to}</div>
      </td>
      <td>
        <ul className="files">{d.files.map((f) => <li key={f.id}>{f.name}</li>)}</ul>
        {broken && <div className="error-text" role="note">{ja.drafts.broken}</div>}
        {d.files.some((f) => f.category !== "attachment") && (
          <button className="button secondary view-button" type="button" onClick={() => setViewing(true)} aria-label={ja.drafts.viewOf(destinationOf(d))}>
            {ja.list.view}
          </button>
        )}
        {viewing && <FormViewerDialog source={{ from: "draft", id: d.id }} heading={ja.drafts.viewHeading(destinationOf(d), dateTime(d.saved_at))} onClose={() => setViewing(false)} />}
      </td>
      <td>
        <FileKinds files={d.files} />
      </td>
      <td>
        <div className="toolbar">
          <button className="button secondary" onClick={onOpen} disabled={busy}>
            {ja.drafts.open}
          </button>
          {onToBulk && (
            <button className="button secondary" onClick={onToBulk} disabled={busy}>
              {ja.drafts.toBulk}
            </button>
          )}
          <button className="button" onClick={onSend} disabled={busy || broken || d.to_office === null}>
            {ja.drafts.send}
          </button>
          <button className="button secondary" onClick={onDelete} disabled={busy}>
            {ja.drafts.delete}
          </button>
        </div>
      </td>
    </tr>
  );
}

function SendDraftDialog({ draft, onSend, onCancel }: { draft: Draft; onSend: () => void; onCancel: () => void }) {
  const earlier = useEarlierSends(draft.to, draft.files.map((f) => f.sha256));
  return (
    <ConfirmDialog
      heading={ja.sendConfirm.heading}
      onCancel={onCancel}
      actions={[
        { label: ja.sendConfirm.send, onClick: onSend, primary: true, disabled: earlier.isFetching },
        { label: ja.confirm.cancel, onClick: onCancel },
      ]}
    >
      <SendSummary
        destination={destinationOf(draft)}
        fileCount={draft.files.length}
        message={draft.message}
        warnings={earlier.data ? earlierLines(draft.files, earlier.data, ja.sendConfirm.earlier) : []}
        checking={earlier.isFetching}
      />
      <ErrorAlert error={earlier.error} />
    </ConfirmDialog>
  );
}
