// 一括送信: files for many offices, routed by the destination in each file name and checked against
// the standard as they are added. Per destination, 編集 adds a メッセージ and attachments (更新 takes
// them, as the manual says). The result comes back per destination: those sent become 送信済 and
// leave the plan; 「失敗した送信先だけ再送信」 sends the rest under the plan's own key, so that no
// destination is ever delivered twice (work.ts, BulkWork.planKey). The plan stays while the app runs.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { useBackend } from "../backend/BackendContext";
import { useFileDrop } from "../backend/useFileDrop";
import { ask, queryKeys, useBulkPlan, useEarlierSends, useFileCheck } from "../backend/queries";
import type { BulkDestination } from "../bindings/BulkDestination";
import type { BulkEdit } from "../bindings/BulkEdit";
import type { BulkResult } from "../bindings/BulkResult";
import type { FilesCheck } from "../bindings/FilesCheck";
import type { Office } from "../bindings/Office";
import { DirectoryFinder } from "../components/DirectoryFinder";
import { ErrorAlert } from "../components/ErrorAlert";
import { FileChecks } from "../components/FileChecks";
import { mergeFindings } from "../components/findings";
import { Loading } from "../components/Loaded";
import { ja } from "../i18n";
import { tour } from "../tutorial/targets";
import { tourEvent, useTourHold } from "../tutorial/events";
import { useWork } from "../work/WorkContext";
import { emptyBulk, newKey, type BulkEditWork, type BulkWork } from "../work/work";
import { earlierLines } from "./NewMessageScreen";

/** The official limits of one bulk send (the relay enforces them too). */
const MAX_DESTINATIONS = 50;
const MAX_FILES = 100;

const NO_EDIT: BulkEditWork = { message: "", attachments: [] };
const ATTACHMENT_TYPES = ["pdf", "jpg", "jpeg", "png", "gif", "txt"];
const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path;

/** One destination's outcome, as 一括送信の結果 lists it. */
function resultLine({ to, office_name, files, error }: BulkResult): string {
  if (!error) return ja.bulk.sentTo(office_name ?? "", to ?? "", files.length);
  if (to === null) return ja.bulk.failedUnrouted(error.message);
  return office_name ? ja.bulk.failedFor(office_name, to, error.message) : ja.bulk.failedForNumber(to, error.message);
}

/** The latest outcome of each destination over every round. */
function latestByDestination(rounds: BulkResult[][]): BulkResult[] {
  const latest = new Map<string, BulkResult>();
  for (const round of rounds) for (const result of round) latest.set(result.to ?? "", result);
  return [...latest.values()];
}

type Request = { destinations: BulkDestination[]; edits: BulkEdit[]; draft: BulkWork["draft"]; planKey: string };

/** The plan after an answer: sent destinations leave it (with their edits); the failed stay. */
function afterAnswer(work: BulkWork, request: Request, results: BulkResult[]): BulkWork {
  const sent = results.filter((r) => r.error === null && r.to !== null).map((r) => r.to as string);
  const failed = results.some((r) => r.error !== null);
  if (!failed) return { ...emptyBulk(), rounds: [...work.rounds, results] };
  const leaving = request.destinations.filter((d) => sent.includes(d.office_number)).flatMap((d) => d.paths);
  const edits = Object.fromEntries(Object.entries(work.edits).filter(([office]) => !sent.includes(office)));
  return {
    ...work,
    paths: work.paths.filter((p) => !leaving.includes(p)),
    edits,
    // The relay removed the draft with the message to its destination, in one transaction: a
    // second 一括送信 must not name it again.
    draft: work.draft && sent.includes(work.draft.to) ? null : work.draft,
    byHand: work.byHand.filter((o) => !sent.includes(o.number)),
    sentUnderKey: [...new Set([...work.sentUnderKey, ...sent])],
    rounds: [...work.rounds, results],
    answerLost: false,
  };
}

export function BulkSendScreen({ filesFolder = null }: { filesFolder?: string | null }) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const { bulk: work, updateBulk } = useWork();
  const plan = useBulkPlan(work.paths);
  const check = useFileCheck(work.paths);
  const results = useRef<HTMLElement>(null);

  const sending = useMutation({
    mutationFn: (request: Request) =>
      ask(() =>
        backend.bulkSend(
          request.destinations.flatMap((d) => d.paths),
          request.edits,
          request.draft?.id ?? null,
          request.planKey,
        ),
      ),
    onSuccess: (response, request) => {
      updateBulk((current) => afterAnswer(current, request, response.results));
      tourEvent("bulk-sent");
      void queryClient.invalidateQueries({ queryKey: queryKeys.messages });
      void queryClient.invalidateQueries({ queryKey: queryKeys.earlierSends });
      if (request.draft) void queryClient.invalidateQueries({ queryKey: queryKeys.drafts });
    },
    // No answer: which destinations arrived is unknown. The key stays, so that sending again
    // stores only those that did not.
    onError: () => updateBulk((current) => ({ ...current, answerLost: true })),
  });
  const { reset: resetSending } = sending;

  // Results appear where the eye is: at the top, read out, and scrolled to.
  const rounds = work.rounds.length;
  useEffect(() => {
    if (rounds === 0) return;
    results.current?.scrollIntoView?.({ block: "start" });
    results.current?.focus();
  }, [rounds]);

  const addFiles = useCallback(
    (added: string[]) => {
      resetSending();
      updateBulk((b) => {
        // A new plan after one fully sent: the old results make way.
        const done = b.paths.length === 0 && b.byHand.length === 0 && (b.rounds.at(-1) ?? []).every((r) => r.error === null);
        return { ...b, rounds: done ? [] : b.rounds, paths: [...b.paths, ...added.filter((p) => !b.paths.includes(p))] };
      });
    },
    [resetSending, updateBulk],
  );

  const drops = useFileDrop(addFiles);

  // Decided only on the grouping and the check of the files as they are now, not on the previous
  // answers still shown.
  const planned = plan.isPlaceholderData ? undefined : plan.data;
  const checked = check.isPlaceholderData ? undefined : check.data;
  useTourHold("bulk-planned", planned !== undefined && planned.destinations.length > 0);

  const edit = (office: string): BulkEditWork => work.edits[office] ?? NO_EDIT;
  // From the edits as they are when the change lands, not as they were drawn: an attachment chosen
  // in the (slow) file dialog must not undo what was typed meanwhile, nor the other way round.
  const changeEdit = (office: string, change: (edit: BulkEditWork) => BulkEditWork) =>
    updateBulk((b) => ({ ...b, edits: { ...b.edits, [office]: change(b.edits[office] ?? NO_EDIT) } }));
  const addAttachments = async (office: string) => {
    const chosen = await backend.chooseFiles(ATTACHMENT_TYPES, filesFolder);
    changeEdit(office, (e) => ({ ...e, attachments: [...e.attachments, ...chosen.filter((p) => !e.attachments.includes(p))] }));
  };
  const remove = (path: string) => updateBulk((b) => ({ ...b, paths: b.paths.filter((p) => p !== path) }));

  const shown = work.paths.length > 0 ? plan.data : undefined;
  const fromFiles = shown?.destinations ?? [];
  // Added by hand for attachments alone; one that files also name is their row.
  const byHand: BulkDestination[] = work.byHand.filter((o) => !fromFiles.some((d) => d.office_number === o.number)).map((o) => ({ office_number: o.number, office: o, paths: [] }));
  const destinations = [...fromFiles, ...byHand];
  const fileCount = destinations.reduce((n, d) => n + d.paths.length + edit(d.office_number).attachments.length, 0);
  // A destination with nothing to send would silently get nothing.
  const empty = destinations.filter((d) => d.paths.length === 0 && edit(d.office_number).attachments.length === 0);
  const overLimit = destinations.length > MAX_DESTINATIONS || fileCount > MAX_FILES;
  const lastRound = work.rounds.at(-1) ?? [];
  const failedBefore = lastRound.filter((r) => r.error !== null && r.to !== null).map((r) => r.to as string);
  const retrying = failedBefore.length > 0 && destinations.length > 0 && destinations.every((d) => failedBefore.includes(d.office_number));
  const filesReady = work.paths.length === 0 || (planned !== undefined && checked?.ok === true);
  const ready = filesReady && destinations.length > 0 && empty.length === 0 && !overLimit;

  const [finding, setFinding] = useState(false);
  const findToggle = useRef<HTMLButtonElement>(null);
  const [added, setAdded] = useState<string | null>(null);
  /** An office found by name becomes a destination, its 編集 open for the attachments. */
  const addByHand = (office: Office) => {
    resetSending();
    updateBulk((b) => ({ ...b, byHand: b.byHand.some((o) => o.number === office.number) ? b.byHand : [...b.byHand, office], editing: office.number }));
    setFinding(false);
    setAdded(ja.bulk.addedByHand(office.name, office.number));
    findToggle.current?.focus();
  };
  const removeByHand = (number: string) => {
    updateBulk((b) => ({ ...b, byHand: b.byHand.filter((o) => o.number !== number), edits: Object.fromEntries(Object.entries(b.edits).filter(([office]) => office !== number)) }));
    setAdded(null);
  };

  const send = () => {
    // New files for a destination already sent under this key are a new send to it: a new key. Not
    // while an answer is missing, when the key is what keeps the first attempt from arriving twice.
    const renew = !work.answerLost && destinations.some((d) => work.sentUnderKey.includes(d.office_number));
    const planKey = renew ? newKey() : work.planKey;
    if (renew) updateBulk((b) => ({ ...b, planKey, sentUnderKey: [] }));
    sending.mutate({
      destinations,
      draft: work.draft,
      planKey,
      edits: destinations.map((d) => ({ office_number: d.office_number, message: edit(d.office_number).message, attachment_paths: edit(d.office_number).attachments })),
    });
  };

  const outcomes = latestByDestination(work.rounds);
  const sentCount = outcomes.filter((r) => r.error === null).length;
  const failedCount = outcomes.filter((r) => r.error !== null).length;
  return (
    <section aria-label={ja.tabs.bulk}>
      {work.rounds.length > 0 && (
        <section className="panel" aria-label={ja.bulk.results} ref={results} tabIndex={-1} {...tour("bulk-results")}>
          <h2>{ja.bulk.results}</h2>
          <p role="status">{ja.bulk.summary(sentCount, failedCount)}</p>
          <ul className="bulk-results">
            {outcomes.map((r, i) => (
              <li key={r.to ?? i} className={r.error ? "error-text" : undefined}>
                <strong>{r.error ? ja.bulk.failedState : ja.bulk.sentState}</strong> {resultLine(r)}
                {r.error && r.error.diagnostics && r.error.diagnostics.length > 0 && (
                  <ul>
                    {mergeFindings(r.error.diagnostics).map((f) => (
                      <li key={f.key}>{f.text}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {work.answerLost && (
        <div className="alert warning" role="alert">
          {ja.bulk.answerLost}
        </div>
      )}
      <div className="panel dropzone" data-testid="bulk-dropzone" {...tour("bulk-files")} data-drop-ready={drops.ready}>
        <h2>{ja.bulk.files}</h2>
        <p className="muted">{ja.bulk.dropHint}</p>
        <button className="button secondary" type="button" onClick={async () => addFiles(await backend.chooseFiles(["CSV", "csv"], filesFolder))}>
          {ja.compose.chooseFiles}
        </button>
      </div>
      {overLimit && (
        <div className="alert error" role="alert">
          {ja.bulk.overLimit(destinations.length, fileCount, MAX_DESTINATIONS, MAX_FILES)}
        </div>
      )}
      <ErrorAlert error={plan.error ?? check.error} />
      {(plan.isFetching || check.isFetching) && <Loading text={ja.bulk.grouping} />}
      {checked && !checked.ok && work.paths.length > 0 && (
        <div className="alert error" role="alert">
          {ja.bulk.fixFiles}
        </div>
      )}
      {shown && shown.unrouted.length > 0 && (
        <div className="alert warning">
          {ja.bulk.unrouted}
          <ul>{shown.unrouted.map((p) => <li key={p}>{baseName(p)}</li>)}</ul>
        </div>
      )}
      {destinations.length > 0 && (
        <table className="list" aria-busy={plan.isPlaceholderData}>
          {/* The file names are long and unbroken: theirs is the widest column. */}
          <colgroup>
            <col style={{ width: "14rem" }} />
            <col />
            <col style={{ width: "22%" }} />
            <col style={{ width: "7rem" }} />
          </colgroup>
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
              <DestinationRow
                key={d.office_number}
                destination={d}
                check={check.data}
                stale={check.isPlaceholderData}
                failure={lastRound.find((r) => r.to === d.office_number && r.error !== null) ?? null}
                edit={edit(d.office_number)}
                onEdit={(change) => changeEdit(d.office_number, change)}
                onAttach={() => void addAttachments(d.office_number)}
                onRemove={remove}
                onRemoveDestination={d.paths.length === 0 && work.byHand.some((o) => o.number === d.office_number) ? () => removeByHand(d.office_number) : undefined}
              />
            ))}
          </tbody>
        </table>
      )}
      <div className="panel">
        <h2>{ja.bulk.byHandHeading}</h2>
        <p className="muted">{ja.bulk.byHandHint}</p>
        <button ref={findToggle} className="button secondary" type="button" aria-expanded={finding} onClick={() => setFinding(!finding)}>
          {finding ? ja.directory.close : ja.directory.open}
        </button>
        {finding && <DirectoryFinder onChoose={addByHand} />}
        {added && (
          <p role="status" className="alert success">
            {added}
          </p>
        )}
      </div>
      <div className="toolbar actions">
        <button className="button" type="button" onClick={send} disabled={!ready || sending.isPending} {...tour("bulk-send")}>
          {retrying ? ja.bulk.retry : ja.bulk.send}
        </button>
        <ErrorAlert error={sending.error} />
      </div>
    </section>
  );
}

type RowProps = {
  destination: BulkDestination;
  check: FilesCheck | undefined;
  stale: boolean;
  failure: BulkResult | null;
  edit: BulkEditWork;
  onEdit: (change: (edit: BulkEditWork) => BulkEditWork) => void;
  onAttach: () => void;
  onRemove: (path: string) => void;
  /** Set for a destination added by hand: it leaves the plan. */
  onRemoveDestination?: () => void;
};

function DestinationRow({ destination: d, check, stale, failure, edit, onEdit, onAttach, onRemove, onRemoveDestination }: RowProps) {
  const { bulk, updateBulk } = useWork();
  const editing = bulk.editing === d.office_number;
  const setEditing = (on: boolean) => updateBulk((b) => ({ ...b, editing: on ? d.office_number : null }));
  const files = (check?.files ?? []).filter((f) => d.paths.includes(f.path) && f.sha256 !== null);
  const earlier = useEarlierSends(d.office ? d.office_number : null, files.map((f) => f.sha256 as string));
  const warnings = earlier.data ? earlierLines(files, earlier.data, ja.bulk.earlier) : [];
  return (
    <tr data-testid={`destination-${d.office_number}`}>
      <td>
        <div>{d.office ? d.office.name : <span className="error-text">{ja.bulk.unknownOffice}</span>}</div>
        <div className="muted">{d.office_number}</div>
        {failure?.error && (
          <div className="error-text">
            <strong>{ja.bulk.failedState}</strong> {failure.error.message}
          </div>
        )}
      </td>
      <td>
        {check ? <FileChecks check={check} stale={stale} only={d.paths} onRemove={onRemove} /> : <ul className="files">{d.paths.map((p) => <li key={p}>{baseName(p)}</li>)}</ul>}
        <ul className="files">
          {edit.attachments.map((p) => <li key={p}>{ja.bulk.attachmentFile(baseName(p))}</li>)}
        </ul>
        {d.paths.length === 0 && edit.attachments.length === 0 && <div className="error-text">{ja.bulk.noFilesYet}</div>}
        {warnings.length > 0 && (
          <div className="alert warning">
            {warnings.map((w) => (
              <div key={w}>{w}</div>
            ))}
          </div>
        )}
      </td>
      <td>
        {editing ? (
          <>
            <textarea
              aria-label={ja.bulk.messageFor(d.office_number)}
              rows={2}
              maxLength={1000}
              value={edit.message}
              onChange={(e) => {
                const text = e.target.value;
                onEdit((current) => ({ ...current, message: text }));
              }}
            />
            <button className="button secondary" type="button" onClick={onAttach}>
              {ja.bulk.addAttachment}
            </button>
          </>
        ) : (
          edit.message
        )}
      </td>
      <td>
        <button className="button secondary" type="button" onClick={() => setEditing(!editing)}>
          {editing ? ja.bulk.closeEdit : ja.bulk.edit}
        </button>
        {onRemoveDestination && (
          <button className="button secondary" type="button" aria-label={ja.bulk.removeDestination(d.office?.name ?? d.office_number)} onClick={onRemoveDestination}>
            {ja.compose.removeShort}
          </button>
        )}
      </td>
    </tr>
  );
}
