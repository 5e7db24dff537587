// 予実突合: the 予定 (UPPLAN, from the 居宅, with its 補足 for the names) and the 実績 (UPJSK, from the
// service offices) chosen as files or folders, or dropped (each file goes to its side by the kind in
// its name), compared day by day; the result saved as CSV for the care manager's records.
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useBackend } from "../backend/BackendContext";
import { ask } from "../backend/queries";
import { useFileDrop } from "../backend/useFileDrop";
import type { FileSource } from "../bindings/FileSource";
import { ErrorAlert } from "../components/ErrorAlert";
import { Loading } from "../components/Loaded";
import { ReconcileView } from "../forms/ReconcileView";
import { ja } from "../i18n";

type Side = "plan" | "actual";

/** The side a dropped file belongs to, from the kind in its name; null for a folder or another file. */
export function sideOf(path: string): Side | null {
  const name = path.split(/[\\/]/).pop() ?? "";
  if (/^UPJSK_/i.test(name)) return "actual";
  if (/^(UPPLAN|UPHOSOKU|UPSIKYU)_/i.test(name)) return "plan";
  return null;
}

export function ReconcileScreen({ filesFolder = null }: { filesFolder?: string | null }) {
  const t = ja.forms.reconcile;
  const backend = useBackend();
  const [paths, setPaths] = useState<Record<Side, string[]>>({ plan: [], actual: [] });
  const [unsorted, setUnsorted] = useState<string[]>([]);
  const add = (side: Side, added: string[]) => setPaths((p) => ({ ...p, [side]: [...p[side], ...added.filter((a) => !p[side].includes(a))] }));
  const drops = useFileDrop((dropped) => {
    const plan = dropped.filter((p) => sideOf(p) === "plan");
    const actual = dropped.filter((p) => sideOf(p) === "actual");
    if (plan.length > 0) add("plan", plan);
    if (actual.length > 0) add("actual", actual);
    setUnsorted(dropped.filter((p) => sideOf(p) === null));
  });
  const sources = (): { plan: FileSource; actual: FileSource } => ({ plan: { from: "disk", paths: paths.plan }, actual: { from: "disk", paths: paths.actual } });
  const ready = paths.plan.length > 0 && paths.actual.length > 0;
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
  async function choose(side: Side, folder: boolean) {
    const chosen = folder ? await backend.chooseFolder(filesFolder) : await backend.chooseFiles(["CSV", "csv"], filesFolder);
    const list = folder ? (chosen ? [chosen as string] : []) : (chosen as string[]);
    if (list.length > 0) {
      compare.reset();
      save.reset();
      add(side, list);
    }
  }
  function clear(side: Side) {
    compare.reset();
    save.reset();
    setPaths((p) => ({ ...p, [side]: [] }));
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
              {paths[side].length > 0 && (
                <button className="link" type="button" onClick={() => clear(side)}>
                  {ja.compose.removeShort}
                </button>
              )}
            </div>
            {paths[side].length === 0 ? (
              <p className="muted">{t.noneChosen}</p>
            ) : (
              <ul className="files" aria-label={t.chosen(paths[side].length)}>
                {paths[side].map((p) => (
                  <li key={p}>{p.split(/[\\/]/).pop()}</li>
                ))}
              </ul>
            )}
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
