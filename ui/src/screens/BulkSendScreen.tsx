// 一括送信: files for many offices, routed by the destination in each file name. Per destination,
// 編集 adds a メッセージ and attachments; the result comes back per destination (成功 or why not).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import { useBackend } from "../backend/BackendContext";
import { ask, queryKeys, useBulkPlan } from "../backend/queries";
import type { BulkEdit } from "../bindings/BulkEdit";
import type { BulkPlan } from "../bindings/BulkPlan";
import type { BulkResult } from "../bindings/BulkResult";
import type { OpenedDraft } from "../bindings/OpenedDraft";
import { ErrorAlert } from "../components/ErrorAlert";
import { Loaded, Loading } from "../components/Loaded";
import { ja } from "../i18n";
import { tour } from "../tutorial/targets";
import { tourEvent } from "../tutorial/events";

/** The official limits of one bulk send (the relay enforces them too). */
const MAX_DESTINATIONS = 50;
const MAX_FILES = 100;

type Edit = { message: string; attachments: string[] };
const NO_EDIT: Edit = { message: "", attachments: [] };
const ATTACHMENT_TYPES = ["pdf", "jpg", "jpeg", "png", "gif", "txt"];
const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path;

/** One destination's outcome, as 一括送信の結果 lists it. */
function resultLine({ to, office_name, files, error }: BulkResult): string {
  if (!error) return ja.bulk.sentTo(office_name ?? "", to ?? "", files.length);
  if (to === null) return ja.bulk.failedUnrouted(error.message);
  return office_name ? ja.bulk.failedFor(office_name, to, error.message) : ja.bulk.failedForNumber(to, error.message);
}

type Start = { paths: string[]; edits: Record<string, Edit>; draft: { id: string; to: string } | null };
const EMPTY: Start = { paths: [], edits: {}, draft: null };

/**
 * `fromDraft`: a draft of 新規作成 switched here from 下書き一覧. What has no destination in its name
 * (its attachments) and its メッセージ belong to the draft's destination, so the draft's files are
 * grouped first and the screen starts from that.
 */
export function BulkSendScreen({ fromDraft = null }: { fromDraft?: OpenedDraft | null }) {
  if (!fromDraft) return <BulkSend start={EMPTY} />;
  return <FromDraft draft={fromDraft} />;
}

function FromDraft({ draft }: { draft: OpenedDraft }) {
  const grouped = useBulkPlan(draft.paths);
  return <Loaded query={grouped}>{(plan) => <BulkSend start={startFromDraft(draft, plan)} />}</Loaded>;
}

function startFromDraft({ draft, paths }: OpenedDraft, plan: BulkPlan): Start {
  return {
    paths: paths.filter((p) => !plan.unrouted.includes(p)),
    edits: { [draft.to]: { message: draft.message, attachments: plan.unrouted } },
    draft: { id: draft.id, to: draft.to },
  };
}

function BulkSend({ start }: { start: Start }) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const [paths, setPaths] = useState(start.paths);
  const [draft, setDraft] = useState(start.draft);
  const [edits, setEdits] = useState(start.edits);
  const [editing, setEditing] = useState<string | null>(null);
  const plan = useBulkPlan(paths);

  const sending = useMutation({
    mutationFn: (request: { paths: string[]; edits: BulkEdit[]; fromDraft: Start["draft"] }) =>
      ask(() => backend.bulkSend(request.paths, request.edits, request.fromDraft?.id ?? null)),
    onSuccess: (response, { fromDraft }) => {
      tourEvent("bulk-sent");
      void queryClient.invalidateQueries({ queryKey: queryKeys.messages });
      // The relay removed the draft with the message to its destination, in one transaction: a
      // second 一括送信 must not name it again.
      if (fromDraft && response.results.some((r) => r.to === fromDraft.to && r.error === null)) {
        setDraft(null);
        void queryClient.invalidateQueries({ queryKey: queryKeys.drafts });
      }
      if (response.results.every((r) => r.error === null)) {
        setPaths([]);
        setEdits({});
      }
    },
  });
  const { reset: resetResults } = sending;
  const results = sending.data?.results ?? null;

  const addFiles = useCallback(
    (added: string[]) => {
      resetResults();
      setPaths((current) => [...current, ...added.filter((p) => !current.includes(p))]);
    },
    [resetResults],
  );

  useEffect(() => {
    let stop: (() => void) | undefined;
    void backend.onFileDrop(addFiles).then((unlisten) => (stop = unlisten));
    return () => stop?.();
  }, [backend, addFiles]);

  // Decided only on the grouping of the files as they are now, not on the previous one still shown.
  const planned = plan.isPlaceholderData ? undefined : plan.data;
  useEffect(() => {
    if (planned) tourEvent("bulk-planned");
  }, [planned]);

  const edit = (office: string): Edit => edits[office] ?? NO_EDIT;
  // From the edits as they are when the change lands, not as they were drawn: an attachment chosen
  // in the (slow) file dialog must not undo what was typed meanwhile, nor the other way round.
  const changeEdit = (office: string, change: (edit: Edit) => Edit) =>
    setEdits((current) => ({ ...current, [office]: change(current[office] ?? NO_EDIT) }));
  const addAttachments = async (office: string) => {
    const chosen = await backend.chooseFiles(ATTACHMENT_TYPES);
    changeEdit(office, (e) => ({ ...e, attachments: [...e.attachments, ...chosen.filter((p) => !e.attachments.includes(p))] }));
  };

  const shown = paths.length > 0 ? plan.data : undefined;
  const destinations = shown?.destinations ?? [];
  const fileCount = destinations.reduce((n, d) => n + d.paths.length + edit(d.office_number).attachments.length, 0);
  const overLimit = destinations.length > MAX_DESTINATIONS || fileCount > MAX_FILES;
  const ready = planned !== undefined && destinations.length > 0 && !overLimit;
  const send = () =>
    sending.mutate({
      fromDraft: draft,
      paths: destinations.flatMap((d) => d.paths),
      edits: destinations.map((d) => ({ office_number: d.office_number, message: edit(d.office_number).message, attachment_paths: edit(d.office_number).attachments })),
    });

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
      <ErrorAlert error={plan.error} />
      {plan.isFetching && <Loading text={ja.bulk.grouping} />}
      {shown && shown.unrouted.length > 0 && (
        <div className="alert warning">
          {ja.bulk.unrouted}
          <ul>{shown.unrouted.map((p) => <li key={p}>{baseName(p)}</li>)}</ul>
        </div>
      )}
      {destinations.length > 0 && (
        <table className="list" aria-busy={plan.isPlaceholderData}>
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
                    {edit(d.office_number).attachments.map((p) => <li key={p}>{ja.bulk.attachmentFile(baseName(p))}</li>)}
                  </ul>
                </td>
                <td>
                  {editing === d.office_number ? (
                    <>
                      <textarea
                        aria-label={ja.bulk.messageFor(d.office_number)}
                        rows={2}
                        maxLength={1000}
                        value={edit(d.office_number).message}
                        onChange={(e) => {
                          const text = e.target.value;
                          changeEdit(d.office_number, (current) => ({ ...current, message: text }));
                        }}
                      />
                      <button className="button secondary" type="button" onClick={() => void addAttachments(d.office_number)}>
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
        <button className="button" type="button" onClick={send} disabled={!ready || sending.isPending} {...tour("bulk-send")}>
          {ja.bulk.send}
        </button>
        <ErrorAlert error={sending.error} />
      </div>
      {results && (
        <section className="panel" aria-label={ja.bulk.results}>
          <h2>{ja.bulk.results}</h2>
          <ul>
            {results.map((r, i) => (
              <li key={r.to ?? i} className={r.error ? "error-text" : undefined}>
                {resultLine(r)}
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
