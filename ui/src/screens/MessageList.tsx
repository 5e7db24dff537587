// 受信一覧 and 送信一覧: a page of messages, newest first. In 受信一覧 rows still to be fetched are
// pale green and are selected by a click anywhere on the row (as the manual says) or by their box,
// all at once with 全選択; データ取得, after the rows in the tab order, saves their files into a
// folder (once only, which a note says before the office's first fetch) and offers フォルダを開く.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type MouseEvent } from "react";
import type { Mailbox } from "../backend/Backend";
import { useBackend } from "../backend/BackendContext";
import { ask, queryKeys, useMessages } from "../backend/queries";
import { FileKinds } from "../components/FileKinds";
import { UnitContents } from "../components/UnitContents";
import type { FileEntry } from "../bindings/FileEntry";
import type { MessageSummary } from "../bindings/MessageSummary";
import { Loaded } from "../components/Loaded";
import { ErrorAlert } from "../components/ErrorAlert";
import { date, dateTime } from "../components/format";
import { useServiceKindLabels } from "../components/ServiceKinds";
import { FormViewerDialog } from "../forms/FormViewerDialog";
import { ja } from "../i18n";
import { tour } from "../tutorial/targets";
import { tourEvent } from "../tutorial/events";

export const PER_PAGE = 50;

/** 未 and still at the relay: neither 済 nor 期限切れ. */
const isWaiting = (f: FileEntry) => f.fetched_at === null && !f.expired_at;
const isUnfetched = (m: MessageSummary) => m.files.some(isWaiting);

type Props = {
  mailbox: Mailbox;
  /** データ取得's default folder, offered by the folder dialog. */
  saveFolder?: string | null;
  /** 練習モード's folder: used without asking. */
  practiceFolder?: string | null;
  /** The office has fetched on this PC before: the note that データ取得 works once is not needed. */
  fetchExplained?: boolean;
};

export function MessageList({ mailbox, saveFolder, practiceFolder = null, fetchExplained = true }: Props) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const inbox = mailbox === "inbox";
  const [page, setPage] = useState(1);
  const listing = useMessages(mailbox, page, PER_PAGE);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  // 内容を見る: the message whose files are shown as forms (received files stay 未).
  const [viewing, setViewing] = useState<MessageSummary | null>(null);
  // 受領証 of a file of 送信一覧 the partner took: null when the save dialog was cancelled.
  const receipt = useMutation({ mutationFn: (file: FileEntry) => ask(() => backend.saveReceipt(file)) });

  function toggle(id: string) {
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }
  const selectable = (listing.data?.items ?? []).filter(isUnfetched).map((m) => m.id);
  const selectAll = (on: boolean) => setSelected(new Set(on ? selectable : []));

  // データ取得: null when the folder dialog was cancelled.
  const fetching = useMutation({
    mutationFn: (files: FileEntry[]) => ask(() => fetchInto(files)),
    onSuccess: (outcome) => {
      if (!outcome) return;
      setSelected(new Set());
      // 済 in this list, and one fewer 未取得 on the トップページ; the settings know of the first fetch.
      void queryClient.invalidateQueries({ queryKey: queryKeys.messages });
      void queryClient.invalidateQueries({ queryKey: queryKeys.home });
      void queryClient.invalidateQueries({ queryKey: queryKeys.settings });
      if (outcome.fetched > 0) tourEvent("fetched");
    },
  });

  async function fetchInto(files: FileEntry[]) {
    if (files.length === 0) throw { code: "ui.no_selection", message: ja.fetch.noSelection, diagnostics: [] };
    // In 練習モード the files go to the practice folder, deleted with it: nothing lands among an
    // office's real files, and a classroom needs no folder dialog.
    const folder = practiceFolder ?? (await backend.chooseFolder(saveFolder ?? null));
    if (folder === null) return null;
    const total = files.reduce((sum, f) => sum + f.size, 0);
    let finished = 0;
    setProgress({ done: 0, total });
    const stop = await backend.onProgress((event) => {
      if (event.operation === "fetch") setProgress({ done: finished + event.done, total });
      if (event.done === event.total) finished += event.total;
    });
    try {
      const outcome = await backend.fetchFiles(files, folder);
      const fetched = outcome.fetched.length;
      const there = outcome.fetched.filter((f) => f.already_there).length;
      return {
        fetched,
        folder,
        saved: fetched === 0 ? null : there > 0 ? ja.fetch.doneSomeThere(fetched, folder, there) : ja.fetch.done(fetched, folder),
        failures: outcome.failed.map((f) => ja.fetch.failed(f.name, f.error.message)),
      };
    } finally {
      stop();
      setProgress(null);
    }
  }

  function fetchSelected() {
    const messages = listing.data?.items.filter((m) => selected.has(m.id)) ?? [];
    fetching.mutate(messages.flatMap((m) => m.files.filter(isWaiting)));
  }
  const result = fetching.data;

  const shown = listing.data;
  const pages = shown ? Math.max(1, Math.ceil(shown.total / shown.per_page)) : 1;
  const openFolder = useMutation({ mutationFn: (folder: string) => ask(() => backend.openFolder(folder)) });
  const explained = fetchExplained || (result?.fetched ?? 0) > 0;
  return (
    <section aria-label={inbox ? ja.tabs.inbox : ja.tabs.outbox}>
      <div className="toolbar">
        <button className="button secondary" onClick={() => void listing.refetch()}>
          {ja.list.reload}
        </button>
        {shown && <span className="muted">{ja.list.page(shown.page, pages, shown.total)}</span>}
        <button className="button secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
          {ja.list.previous}
        </button>
        <button className="button secondary" disabled={page >= pages} onClick={() => setPage(page + 1)}>
          {ja.list.next}
        </button>
      </div>
      {inbox && !explained && (
        <div className="alert warning" role="note">
          <strong>{ja.fetch.onceNoteHeading}</strong>
          <div>{ja.fetch.onceNote}</div>
        </div>
      )}
      <Loaded query={listing}>
        {(listed) =>
          listed.items.length === 0 ? (
            <p className="muted">{ja.list.empty}</p>
          ) : (
            <MessageTable items={listed.items} inbox={inbox} selected={selected} onToggle={toggle} selectable={selectable} onSelectAll={selectAll} onView={setViewing} onReceipt={inbox ? undefined : (file) => receipt.mutate(file)} />
          )
        }
      </Loaded>
      {viewing &&
        (inbox ? (
          <FormViewerDialog
            source={{ from: "received", files: viewing.files }}
            heading={ja.list.viewHeading(viewing.counterpart.name, dateTime(viewing.sent_at))}
            note={isUnfetched(viewing) ? ja.forms.viewer.stillUnfetched : undefined}
            onClose={() => setViewing(null)}
          />
        ) : (
          // What was sent, from this PC's copy: the relay keeps none for the sender.
          <FormViewerDialog
            source={{ from: "sent", messages: [{ message_id: viewing.id, files: viewing.files }] }}
            heading={ja.list.viewSentHeading(viewing.counterpart.name, dateTime(viewing.sent_at))}
            noteWhenShown={ja.forms.viewer.fromSentCopy}
            onClose={() => setViewing(null)}
          />
        ))}
      {!inbox && (receipt.data || receipt.error) && (
        <div className="toolbar actions">
          {receipt.data && (
            <div role="status" className="alert success">
              {ja.list.receiptSaved(receipt.data)}
            </div>
          )}
          <ErrorAlert error={receipt.error} />
        </div>
      )}
      {inbox && (
        // After the rows in the tab order, and in view however long the list.
        <div className="toolbar actions">
          <button className="button" onClick={fetchSelected} disabled={fetching.isPending} {...tour("fetch-button")}>
            {ja.fetch.button}
          </button>
          {selected.size > 0 && <span className="muted">{ja.fetch.selected(selected.size)}</span>}
          {progress && (
            <div role="status" className="alert warning">
              {ja.fetch.working(progress.total > 0 ? Math.floor((progress.done * 100) / progress.total) : 0)}
              <progress value={progress.done} max={Math.max(progress.total, 1)} style={{ width: "100%" }} />
            </div>
          )}
          {result?.saved && (
            <div role="status" className="alert success">
              {result.saved}{" "}
              <button className="button secondary" type="button" onClick={() => openFolder.mutate(result.folder)}>
                {ja.fetch.openFolder}
              </button>
            </div>
          )}
          {result && result.failures.length > 0 && (
            <div role="alert" className="alert error">
              {result.failures.map((f) => <div key={f}>{f}</div>)}
            </div>
          )}
          <ErrorAlert error={fetching.error ?? openFolder.error} />
        </div>
      )}
    </section>
  );
}

type TableProps = {
  items: MessageSummary[];
  inbox: boolean;
  selected: Set<string>;
  onToggle: (id: string) => void;
  /** The rows that can be selected (未取得). */
  selectable: string[];
  onSelectAll: (on: boolean) => void;
  /** 内容を見る of a row. */
  onView?: (message: MessageSummary) => void;
  /** 受領証 of a file its receiver took (送信一覧). */
  onReceipt?: (file: FileEntry) => void;
};

/** A click on a row selects it, except on its own controls (the box, a button, a link). */
function rowClick(event: MouseEvent<HTMLTableRowElement>, toggle: () => void) {
  if ((event.target as HTMLElement).closest("input, button, a, label")) return;
  toggle();
}

function MessageTable({ items, inbox, selected, onToggle, selectable, onSelectAll, onView, onReceipt }: TableProps) {
  const kindLabels = useServiceKindLabels();
  const all = selectable.length > 0 && selectable.every((id) => selected.has(id));
  const some = selectable.some((id) => selected.has(id));
  return (
    <table className="list" {...(inbox ? tour("inbox-table") : {})}>
      <colgroup>
        {inbox && <col style={{ width: "2.5rem" }} />}
        <col style={{ width: "9.5rem" }} />
        {!inbox && <col style={{ width: "9rem" }} />}
        <col style={{ width: "14%" }} />
        <col style={{ width: "10%" }} />
        <col style={{ width: "13%" }} />
        <col />
        <col style={{ width: "10.5rem" }} />
        {inbox && <col style={{ width: "6rem" }} />}
        <col style={{ width: "7.5rem" }} />
      </colgroup>
      <thead>
        <tr>
          {inbox && (
            <th>
              <input
                type="checkbox"
                className="select-box"
                aria-label={ja.list.selectAll}
                title={ja.list.selectAll}
                checked={all}
                disabled={selectable.length === 0}
                ref={(box) => {
                  if (box) box.indeterminate = some && !all;
                }}
                onChange={(e) => onSelectAll(e.target.checked)}
              />
            </th>
          )}
          <th>{inbox ? ja.list.receivedAt : ja.list.sentAt}</th>
          {!inbox && <th>{ja.list.sentBy}</th>}
          <th>{ja.list.contents}</th>
          <th>{ja.list.message}</th>
          <th>{inbox ? ja.list.sender : ja.list.receiver}</th>
          <th>{ja.list.fileName}</th>
          <th>{ja.list.fileKind}</th>
          {inbox && <th>{ja.list.version}</th>}
          <th>{inbox ? ja.list.fetchState : ja.list.downloadState}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((m) => {
          const unfetched = isUnfetched(m);
          const chosen = selected.has(m.id);
          return (
            <tr
              key={m.id}
              className={chosen ? "selected" : inbox && unfetched ? "unfetched" : undefined}
              data-testid={`message-${m.id}`}
              onClick={inbox && unfetched ? (e) => rowClick(e, () => onToggle(m.id)) : undefined}
            >
              {inbox && (
                <td>
                  <input
                    type="checkbox"
                    className="select-box"
                    aria-label={ja.list.select(m.files[0]?.name ?? m.id)}
                    checked={chosen}
                    disabled={!unfetched}
                    title={unfetched ? undefined : ja.list.alreadyFetched}
                    onChange={() => onToggle(m.id)}
                  />
                </td>
              )}
              <td>{dateTime(m.sent_at)}</td>
              {!inbox && <td>{m.sent_by ? ja.list.person(m.sent_by.name, m.sent_by.id) : ja.list.none}</td>}
              <td>
                <UnitContents units={m.units} />
              </td>
              <td>{m.message}</td>
              <td>
                <div>{m.counterpart.name}</div>
                <div className="muted">{m.counterpart.number}</div>
                <div className="muted">{ja.list.serviceKind(kindLabels(m.counterpart.service_kinds).join(ja.list.kindSeparator))}</div>
              </td>
              <td>
                <ul className="files">
                  {m.files.map((f) => <li key={f.id}>{f.name}</li>)}
                </ul>
                {onView && m.files.some((f) => f.category !== "attachment") && (
                  <button
                    className="button secondary view-button"
                    type="button"
                    onClick={() => onView(m)}
                    aria-label={(inbox ? ja.list.viewOf : ja.list.viewSentOf)(m.counterpart.name, dateTime(m.sent_at))}
                  >
                    {ja.list.view}
                  </button>
                )}
              </td>
              <td>
                <FileKinds files={m.files} />
              </td>
              {inbox && (
                <td>
                  <ul className="files">
                    {m.files.map((f) => <li key={f.id}>{f.csv_version ?? ja.list.none}</li>)}
                  </ul>
                </td>
              )}
              <td>
                <ul className="files">
                  {m.files.map((f) => (
                    <li key={f.id}>
                      <FileState file={f} inbox={inbox} />
                      {onReceipt && f.fetched_at !== null && (
                        <>
                          {" "}
                          <button className="link" type="button" onClick={() => onReceipt(f)} aria-label={ja.list.receiptOf(f.name)}>
                            {ja.list.receipt}
                          </button>
                        </>
                      )}
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** データ取得状況 / ダウンロード状況 of a file: 済 with its time, 未 (in 送信一覧 with until when it is kept), or 期限切れ. */
function FileState({ file, inbox }: { file: FileEntry; inbox: boolean }) {
  if (file.fetched_at !== null) return <>{ja.list.fetchedAt(dateTime(file.fetched_at))}</>;
  if (file.expired_at) {
    const when = date(file.expired_at);
    return (
      <span className="expired" title={inbox ? ja.list.expiredInbox(when) : ja.list.expiredOutbox(when)}>
        {ja.list.expired}
        <span className="visually-hidden">{inbox ? ja.list.expiredInbox(when) : ja.list.expiredOutbox(when)}</span>
      </span>
    );
  }
  return (
    <>
      {ja.list.unfetched}
      {!inbox && file.expires_at && <span className="muted">{ja.list.keptUntil(date(file.expires_at))}</span>}
    </>
  );
}
