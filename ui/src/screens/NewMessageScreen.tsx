// 新規作成: files for ONE office, dropped on the window or picked; each checked against the standard
// as it is added; the destination read from the files (or typed, for attachments alone) and shown
// by name, number and service kind; 送信 asks first (destination, files, an earlier send of the same
// bytes) or 一時保存 keeps it as a draft. What is composed stays while the app runs (work.ts).
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { useBackend } from "../backend/BackendContext";
import { useFileDrop } from "../backend/useFileDrop";
import { queryKeys, useEarlierSends, useFileCheck, useOffice } from "../backend/queries";
import { useAction } from "../backend/useAction";
import type { EarlierSend } from "../bindings/EarlierSend";
import type { FileCheck } from "../bindings/FileCheck";
import type { Office } from "../bindings/Office";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { DirectoryFinder } from "../components/DirectoryFinder";
import { ErrorAlert } from "../components/ErrorAlert";
import { FileChecks } from "../components/FileChecks";
import { Loading, Outcome } from "../components/Loaded";
import { dateTime } from "../components/format";
import { useServiceKindLabels } from "../components/ServiceKinds";
import { ja } from "../i18n";
import { tour } from "../tutorial/targets";
import { tourEvent, useTourHold } from "../tutorial/events";
import { useWork } from "../work/WorkContext";
import { emptyCompose, type ComposeWork } from "../work/work";

type Props = {
  /** Files for several offices: 一括送信 takes them over. */
  onToBulk?: (paths: string[]) => void;
  /** Where the file dialog starts (練習モード's sample folder). */
  filesFolder?: string | null;
};

/** Earlier sends of these files, by file, as the confirmation lists them. */
export function earlierLines(files: { name: string; sha256: string | null }[], earlier: EarlierSend[], line: (name: string, sentAt: string) => string): string[] {
  return files.flatMap((f) => {
    const found = earlier.find((e) => e.sha256 === f.sha256);
    return found ? [line(f.name, dateTime(found.sent_at))] : [];
  });
}

export function NewMessageScreen({ onToBulk, filesFolder = null }: Props) {
  const backend = useBackend();
  const kindLabels = useServiceKindLabels();
  const { compose: work, updateCompose } = useWork();
  /** A change the user made: the work is no longer what the draft holds. */
  const edit = useCallback((change: (c: ComposeWork) => Partial<ComposeWork>) => updateCompose((c) => ({ ...c, ...change(c), savedAsDraft: false })), [updateCompose]);
  const check = useFileCheck(work.paths);
  // A send or a draft changes 下書き一覧 (the relay removes a sent draft with the send) and 送信一覧.
  const action = useAction({ rereads: [queryKeys.drafts, queryKeys.messages, queryKeys.earlierSends] });
  const { reset: resetAction } = action;
  const [confirming, setConfirming] = useState(false);

  const addFiles = useCallback(
    (added: string[]) => {
      resetAction();
      edit((c) => ({ paths: [...c.paths, ...added.filter((p) => !c.paths.includes(p))] }));
    },
    [resetAction, edit],
  );

  const drops = useFileDrop(addFiles);

  // What is shown may still be the answer about the previous list (while the current one is being
  // checked); only the answer about the files as they are now counts.
  const checked = check.isPlaceholderData ? undefined : check.data;
  useTourHold("files-dropped", checked !== undefined && work.paths.length > 0);

  // The manual's way: the destination comes from the files. A number typed by hand stays (and is
  // compared with them); one read from earlier files gives way to the new files'.
  const fromFiles = checked?.destinations.length === 1 ? checked.destinations[0] : null;
  useEffect(() => {
    if (fromFiles === null) return;
    updateCompose((c) => (c.to.trim() === "" || (c.toFromFiles && c.to !== fromFiles) ? { ...c, to: fromFiles, confirmed: fromFiles, toFromFiles: true } : c));
  }, [fromFiles, updateCompose]);

  const number = work.to.trim();
  const lookup = useOffice(work.confirmed);
  const office = work.confirmed === number && lookup.data?.number === number ? lookup.data : null;
  useTourHold("destination-confirmed", office !== null);
  const mismatch = fromFiles !== null && number !== "" && number !== fromFiles;
  const several = checked && checked.destinations.length > 1 ? checked.destinations : null;

  const [finding, setFinding] = useState(false);
  const findToggle = useRef<HTMLButtonElement>(null);
  /** 送信先を確認 for this number: looked up at the relay (again, if it was already). */
  function confirmNumber(chosen: string) {
    if (work.confirmed === chosen && work.to.trim() === chosen) void lookup.refetch();
    else edit(() => ({ to: chosen, confirmed: chosen, toFromFiles: false }));
  }
  function confirmDestination(event: FormEvent) {
    event.preventDefault();
    confirmNumber(number);
  }
  /** An office found by name is taken as if its number had been typed and confirmed. */
  function chooseFound(found: Office) {
    confirmNumber(found.number);
    setFinding(false);
    // The chosen result goes with the search: the focus stays where the search was opened.
    findToggle.current?.focus();
  }

  const readable = (checked?.files ?? []).filter((f): f is FileCheck & { sha256: string } => f.sha256 !== null);
  const earlier = useEarlierSends(confirming && office ? office.number : null, readable.map((f) => f.sha256));

  const send = () => {
    setConfirming(false);
    const { paths, message, draftId, sendKey } = work;
    action.run(async () => {
      const sent = await backend.sendFiles(number, message, paths, draftId, sendKey);
      updateCompose(() => emptyCompose());
      tourEvent("sent");
      return ja.compose.sentTo(sent.message.counterpart.name, sent.message.counterpart.number, sent.message.files.length);
    });
  };
  useTourHold("sent", action.result !== undefined && action.result !== null && work.paths.length === 0);
  const saveDraft = () =>
    action.run(async () => {
      const saved = await backend.saveDraft(work.draftId, number, work.message, work.paths);
      updateCompose((c) => ({ ...c, draftId: saved.id, savedAsDraft: true }));
      tourEvent("draft-saved");
      return ja.compose.draftSaved;
    });

  const ready = work.paths.length > 0 && checked?.ok === true && office !== null && !mismatch && several === null;
  return (
    <section aria-label={ja.tabs.compose}>
      {work.draftId && <p className="muted">{ja.compose.editingDraft}</p>}
      <div className="panel" {...tour("compose-destination")}>
        <h2>{ja.compose.destination}</h2>
        <form className="toolbar" onSubmit={confirmDestination}>
          <label>
            {ja.compose.officeNumber}{" "}
            <input type="text" value={work.to} maxLength={10} aria-describedby="compose-number-hint" onChange={(e) => edit(() => ({ to: e.target.value, toFromFiles: false }))} />
          </label>
          <button className="button secondary" type="submit" disabled={number === "" || lookup.isFetching}>
            {ja.compose.confirm}
          </button>
        </form>
        <p className="muted" id="compose-number-hint">
          {ja.compose.numberHint}
        </p>
        <button ref={findToggle} className="button secondary" type="button" aria-expanded={finding} onClick={() => setFinding(!finding)}>
          {finding ? ja.directory.close : ja.directory.open}
        </button>
        {finding && <DirectoryFinder onChoose={chooseFound} otherwise={ja.directory.typeNumberInstead} />}
        {office && (
          <div role="status" className="alert success">
            {ja.compose.confirmed(office.name, office.number, kindLabels(office.service_kinds).join(ja.list.kindSeparator))}
            {work.toFromFiles && <div>{ja.compose.fromFiles}</div>}
          </div>
        )}
        {mismatch && (
          <div role="alert" className="alert error">
            {ja.compose.mismatch(number, fromFiles)}
          </div>
        )}
        {several && (
          <div role="alert" className="alert warning">
            {ja.compose.manyDestinations(several.length, several.join(ja.compose.numberSeparator))}
            {onToBulk && (
              <div>
                <button className="button secondary" type="button" onClick={() => onToBulk(work.paths)}>
                  {ja.compose.toBulk}
                </button>
              </div>
            )}
          </div>
        )}
        {work.confirmed === number && <ErrorAlert error={lookup.error} />}
      </div>
      <div className="panel dropzone" data-testid="dropzone" {...tour("compose-files")} data-drop-ready={drops.ready}>
        <h2>{ja.compose.files}</h2>
        <p className="muted">{ja.compose.dropHint}</p>
        <button className="button secondary" type="button" onClick={async () => addFiles(await backend.chooseFiles(undefined, filesFolder))}>
          {ja.compose.chooseFiles}
        </button>
        <ErrorAlert error={check.error} />
        {check.isFetching && <Loading text={ja.compose.checking} />}
        {check.data && work.paths.length > 0 && <FileChecks check={check.data} stale={check.isPlaceholderData} onRemove={(path) => edit((c) => ({ paths: c.paths.filter((p) => p !== path) }))} />}
        {checked && !checked.ok && work.paths.length > 0 && (
          <div className="alert error" role="alert">
            {ja.compose.fixFiles}
          </div>
        )}
      </div>
      <div className="panel" {...tour("compose-message")}>
        <label className="form">
          {ja.list.message}
          <textarea rows={3} value={work.message} maxLength={1000} onChange={(e) => edit(() => ({ message: e.target.value }))} />
        </label>
      </div>
      <div className="toolbar actions" {...tour("compose-result")}>
        <button className="button" type="button" onClick={() => setConfirming(true)} disabled={!ready || action.working} {...tour("compose-send")}>
          {ja.compose.send}
        </button>
        <button className="button secondary" type="button" onClick={saveDraft} disabled={work.paths.length === 0 || action.working} {...tour("compose-save-draft")}>
          {ja.compose.saveDraft}
        </button>
        {!office && work.paths.length > 0 && <span className="muted">{ja.compose.confirmFirst}</span>}
        {/* In the bar that stays in view, so the outcome is seen where the button was pressed. */}
        <Outcome done={action.result} error={action.error} />
      </div>
      {confirming && office && (
        <ConfirmDialog
          heading={ja.sendConfirm.heading}
          onCancel={() => setConfirming(false)}
          actions={[
            { label: ja.sendConfirm.send, onClick: send, primary: true, disabled: earlier.isFetching },
            { label: ja.confirm.cancel, onClick: () => setConfirming(false) },
          ]}
        >
          <SendSummary
            destination={ja.app.officeLabel(office.name, office.number)}
            fileCount={work.paths.length}
            message={work.message}
            warnings={earlier.data ? earlierLines(readable, earlier.data, ja.sendConfirm.earlier) : []}
            checking={earlier.isFetching}
          />
          <ErrorAlert error={earlier.error} />
        </ConfirmDialog>
      )}
    </section>
  );
}

/** What 送信 is about to send, as the confirmation shows it. */
export function SendSummary({ destination, fileCount, message, warnings, checking }: { destination: string; fileCount: number; message: string; warnings: string[]; checking: boolean }) {
  return (
    <>
      <dl className="summary">
        <dt>{ja.sendConfirm.destination}</dt>
        <dd>{destination}</dd>
        <dt>{ja.sendConfirm.files}</dt>
        <dd>{ja.sendConfirm.fileCount(fileCount)}</dd>
        <dt>{ja.sendConfirm.message}</dt>
        <dd>{message.trim() === "" ? ja.sendConfirm.noMessage : message}</dd>
      </dl>
      {checking && <Loading text={ja.compose.preparing} />}
      {warnings.length > 0 && (
        <div className="alert warning" role="alert">
          {warnings.map((w) => (
            <div key={w}>{w}</div>
          ))}
        </div>
      )}
    </>
  );
}
