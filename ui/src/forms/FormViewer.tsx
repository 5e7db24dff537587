// 帳票ビュー: what files say, as the paper forms people know. Send units in the order a receiver
// imports them, each with its title and whom it is about; in a unit, the forms in the paper's order,
// each with the validator's findings at the items they concern, and 印刷 per form.
import { useRef } from "react";
import type { OpenedFiles } from "../bindings/OpenedFiles";
import type { OpenedFile } from "../bindings/records/OpenedFile";
import type { UnitSummary } from "../bindings/records/UnitSummary";
import { ja } from "../i18n";
import { FileForm } from "./FileForm";
import { FileFindings, FindingsProvider } from "./findings";
import { orientationOf, printForm } from "./print";
import { UnitFiles, UnitProvider } from "./unit";
import "./forms.css";

/** The paper order of a unit's forms: the plan's sheets, then the month's, then 補足, then the rest. */
const FORM_ORDER = ["UP1KYO", "UP2KYO", "UP3KYO", "UPPLAN", "UPJSK", "UPSIKYU", "UPKIHON", "UPKIHON_SUB1", "UPKIHON_SUB2", "UPKIHON_IMAGE", "UPYOBO", "UPYOBO_SUB", "UPHOSOKU"];
const orderOf = (kind: string) => {
  const i = FORM_ORDER.indexOf(kind);
  return i < 0 ? FORM_ORDER.length : i;
};

export function FormViewer({ opened }: { opened: OpenedFiles }) {
  const t = ja.forms.viewer;
  const byName = new Map(opened.files.map((f) => [f.file.name, f]));
  const inUnits = new Set(opened.units.flatMap((u) => u.files));
  const loose = opened.files.filter((f) => !inUnits.has(f.file.name));
  // Findings about the send as a whole (a unit without its 補足 …), not about one file's items.
  const general = opened.diagnostics.filter((d) => !d.file || !byName.has(d.file));
  return (
    <div className="form-viewer">
      {general.length > 0 && (
        <div className={general.some((d) => d.severity === "error") ? "alert error" : "alert warning"} role="status">
          <div>{t.unitFindings}</div>
          <ul>
            {general.map((d, i) => (
              <li key={i}>{d.message}</li>
            ))}
          </ul>
        </div>
      )}
      {opened.units.map((unit) => (
        <UnitSection key={unit.serial} unit={unit} files={unit.files.flatMap((name) => byName.get(name) ?? [])} opened={opened} />
      ))}
      {loose.length > 0 && <UnitSection unit={null} files={loose} opened={opened} />}
      {opened.others.length > 0 && (
        <section className="panel others">
          <h3>{t.otherFiles}</h3>
          <ul>
            {opened.others.map((o) => (
              <li key={o.name} className={o.kind === "attachment" ? undefined : "error-text"}>
                <strong>{o.name}</strong>: {o.message}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function UnitSection({ unit, files, opened }: { unit: UnitSummary | null; files: OpenedFile[]; opened: OpenedFiles }) {
  const t = ja.forms.viewer;
  const sorted = [...files].sort((a, b) => orderOf(a.file.kind) - orderOf(b.file.kind));
  const people = unit?.people.map((p) => p.label).join(t.peopleSeparator) ?? "";
  return (
    <section className="form-unit" aria-label={unit ? t.unit(unit.title, people) : undefined}>
      {unit && <h2 className="unit-title">{t.unit(unit.title, people)}</h2>}
      {unit && (
        <details className="unit-files">
          <summary>
            {t.fileNames(unit.files.length)}
          </summary>
          <ul>
            {unit.files.map((name) => (
              <li key={name}>{name}</li>
            ))}
          </ul>
        </details>
      )}
      <UnitProvider unit={new UnitFiles(unit, files)}>
        {sorted.map((f) => (
          <FileBlock key={f.file.name} opened={f} findings={new FileFindings(f, opened.diagnostics)} />
        ))}
      </UnitProvider>
    </section>
  );
}

function FileBlock({ opened, findings }: { opened: OpenedFile; findings: FileFindings }) {
  const t = ja.forms.viewer;
  const block = useRef<HTMLElement>(null);
  const file = opened.file;
  return (
    <section ref={block} className="form-file" data-file={file.name} aria-label={file.file_name.kind_name}>
      <div className="form-file-bar">
        <span className="form-kind">{file.file_name.kind_name}</span>
        <span className="muted form-file-name">{file.name}</span>
        <button className="button secondary" type="button" onClick={() => block.current && printForm(block.current, orientationOf(block.current))}>
          {t.print}
        </button>
      </div>
      {findings.all.length > 0 ? (
        <div className={findings.hasErrors ? "alert error" : "alert warning"} role="status">
          <div>{findings.hasErrors ? t.hasErrors : t.hasWarnings}</div>
          <details>
            <summary>{t.findingsHeading(findings.all.length)}</summary>
            <ul>
              {findings.all.map((d, i) => (
                <li key={i}>
                  {d.line ? `${t.atLine(d.line)}${d.item_name ? ja.forms.value.itemName(d.item_name) : ""}: ` : ""}
                  {d.message}
                </li>
              ))}
            </ul>
          </details>
        </div>
      ) : null}
      {file.unreadable.map((u) => (
        <p key={u.line} className="alert error" data-line={u.line}>
          {t.unreadableRow(u.line, u.message)}
        </p>
      ))}
      <FindingsProvider findings={findings}>
        <FileForm opened={opened} />
      </FindingsProvider>
    </section>
  );
}
