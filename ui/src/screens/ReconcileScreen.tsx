// 予実突合: the 予定 (UPPLAN, from the 居宅, with its 補足 for the names) and the 実績 (UPJSK, from the
// service offices) chosen as files or folders, dropped (each file goes to its side by the kind in
// its name), or picked from 受信一覧 and 送信一覧, compared day by day; the result saved as CSV for
// the care manager's records.
import { useMutation } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { useBackend } from "../backend/BackendContext";
import { ask } from "../backend/queries";
import { useFileDrop } from "../backend/useFileDrop";
import type { Mailbox } from "../backend/Backend";
import { ErrorAlert } from "../components/ErrorAlert";
import { Loading } from "../components/Loaded";
import { ReconcileView } from "../forms/ReconcileView";
import { UnitContents } from "../components/UnitContents";
import { dateTime } from "../components/format";
import { ja } from "../i18n";
import { ReconcileListPicker } from "./ReconcileListPicker";
import { added, isEmpty, nothingChosen, sideOf, sourceOf, type Choice, type Side } from "./reconcileSides";

export function ReconcileScreen({ filesFolder = null }: { filesFolder?: string | null }) {
  const t = ja.forms.reconcile;
  const backend = useBackend();
  const [chosen, setChosen] = useState<Record<Side, Choice>>({ plan: nothingChosen, actual: nothingChosen });
  // The side whose list picker is open, and which list.
  const [picking, setPicking] = useState<{ side: Side; mailbox: Mailbox } | null>(null);
  const [unsorted, setUnsorted] = useState<string[]>([]);
  // The buttons that open a picker: the keyboard goes back to the one it came from.
  const openers = useRef<Record<string, HTMLButtonElement | null>>({});
  const closePicker = () => {
    if (picking) openers.current[`${picking.side}-${picking.mailbox}`]?.focus();
    setPicking(null);
  };
  const sources = () => ({ plan: sourceOf(chosen.plan, "plan"), actual: sourceOf(chosen.actual, "actual") });
  const ready = !isEmpty(chosen.plan) && !isEmpty(chosen.actual);
  const compare = useMutation({
    mutationFn: () => {
      if (!ready) return Promise.reject({ code: "ui.reconcile_sides", message: t.needBoth, diagnostics: [] });
      const { plan, actual } = sources();
      return ask(() => backend.reconcileFiles(plan, actual));
    },
  });
  const save = useMutation({
    mutationFn: () => {
      const { plan, actual } = sources();
      return ask(() => backend.saveReconciliation(plan, actual));
    },
  });
  const put = (side: Side, more: Choice) => {
    compare.reset();
    save.reset();
    setChosen((c) => ({ ...c, [side]: added(c[side], more) }));
  };
  const drops = useFileDrop((dropped) => {
    const plan = dropped.filter((p) => sideOf(p) === "plan");
    const actual = dropped.filter((p) => sideOf(p) === "actual");
    if (plan.length > 0) put("plan", { from: "disk", paths: plan });
    if (actual.length > 0) put("actual", { from: "disk", paths: actual });
    setUnsorted(dropped.filter((p) => sideOf(p) === null));
  });
  async function choose(side: Side, folder: boolean) {
    const picked = folder ? await backend.chooseFolder(filesFolder) : await backend.chooseFiles(["CSV", "csv"], filesFolder);
    const list = folder ? (picked ? [picked as string] : []) : (picked as string[]);
    if (list.length > 0) put(side, { from: "disk", paths: list });
  }
  function clear(side: Side) {
    compare.reset();
    save.reset();
    setChosen((c) => ({ ...c, [side]: nothingChosen }));
  }
  return (
    <section aria-label={t.heading}>
      <p>{t.intro}</p>
      <div className="reconcile-sides">
        {(["plan", "actual"] as const).map((side) => (
          <div key={side} className="panel reconcile-side" data-drop-ready={drops.ready} aria-label={side === "plan" ? t.planSide : t.actualSide} role="group">
            <h2>{side === "plan" ? t.planSide : t.actualSide}</h2>
            <div className="toolbar">
              <button className="button secondary" type="button" onClick={() => void choose(side, false)}>
                {t.choose}
              </button>
              <button className="button secondary" type="button" onClick={() => void choose(side, true)}>
                {t.chooseFolder}
              </button>
              {(["inbox", "outbox"] as const).map((mailbox) => (
                <button
                  key={mailbox}
                  ref={(button) => {
                    openers.current[`${side}-${mailbox}`] = button;
                  }}
                  className="button secondary"
                  type="button"
                  aria-expanded={picking?.side === side && picking.mailbox === mailbox}
                  onClick={() => setPicking({ side, mailbox })}
                >
                  {t.fromList(t.listName[mailbox])}
                </button>
              ))}
              {!isEmpty(chosen[side]) && (
                <button className="link" type="button" onClick={() => clear(side)}>
                  {ja.compose.removeShort}
                </button>
              )}
            </div>
            {picking?.side === side && (
              <ReconcileListPicker
                key={picking.mailbox}
                side={side}
                mailbox={picking.mailbox}
                onChoose={(messages) => {
                  put(side, { from: picking.mailbox, messages });
                  closePicker();
                }}
                onCancel={closePicker}
              />
            )}
            <ChosenFiles choice={chosen[side]} />
          </div>
        ))}
      </div>
      {unsorted.length > 0 && (
        <p className="alert warning" role="status">
          {t.unsorted(unsorted.map((p) => p.split(/[\\/]/).pop()).join(ja.forms.value.listSeparator))}
        </p>
      )}
      <div className="toolbar">
        <button className="button" type="button" onClick={() => compare.mutate()} disabled={compare.isPending}>
          {t.compare}
        </button>
        {compare.data && (
          <button className="button secondary" type="button" onClick={() => save.mutate()} disabled={save.isPending}>
            {t.exportCsv}
          </button>
        )}
      </div>
      {compare.isPending && <Loading text={t.comparing} />}
      <ErrorAlert error={compare.error ?? save.error} />
      {save.data && (
        <p className="alert success" role="status">
          {t.exported(save.data)}
        </p>
      )}
      {compare.data && <ReconcileView result={compare.data} />}
    </section>
  );
}

/** What a side holds: the files' names, or the messages in words. */
function ChosenFiles({ choice }: { choice: Choice }) {
  const t = ja.forms.reconcile;
  if (isEmpty(choice)) return <p className="muted">{t.noneChosen}</p>;
  if (choice.from === "disk") {
    return (
      <ul className="files" aria-label={t.chosen(choice.paths.length)}>
        {choice.paths.map((p) => (
          <li key={p}>{p.split(/[\\/]/).pop()}</li>
        ))}
      </ul>
    );
  }
  const heading = t.chosenMessages(t.listName[choice.from], choice.messages.length);
  return (
    <>
      <p className="muted">{heading}</p>
      <ul className="picker-list" aria-label={heading}>
      {choice.messages.map((m) => (
        <li key={m.id}>
          <div>{t.messageOf[choice.from](dateTime(m.sent_at), m.counterpart.name)}</div>
          <UnitContents units={m.units} />
        </li>
      ))}
      </ul>
    </>
  );
}
