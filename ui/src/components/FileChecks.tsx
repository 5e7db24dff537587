// The files of a send as checked against the standard, for someone who cannot edit a CSV: each
// file with ○ or ×, what it is and whom it is about, each finding once with how often it happened,
// a unit's problems under the unit's name and people, and 外す on every file, readable or not.
import { useState } from "react";
import type { FileCheck } from "../bindings/FileCheck";
import type { FilesCheck } from "../bindings/FilesCheck";
import { FormViewerDialog } from "../forms/FormViewerDialog";
import type { UnitCheck } from "../bindings/UnitCheck";
import { ja } from "../i18n";
import { CheckMark } from "./CheckMark";
import { mergeFindings } from "./findings";

type Props = {
  check: FilesCheck;
  /** The answer is about an earlier list while the current one is being checked. */
  stale?: boolean;
  onRemove: (path: string) => void;
  /** Only these files (one destination's of 一括送信); all when absent. */
  only?: string[];
};

const isStandardName = (name: string) => /\.csv$/i.test(name);

/** The paths of a file's send unit (its ファイル連番's files): 第1表 needs the unit's 補足 for the name. */
function unitPaths(check: FilesCheck, file: FileCheck): string[] {
  const unit = check.units.find((u) => u.files.includes(file.name));
  if (!unit) return [file.path];
  return check.files.filter((f) => unit.files.includes(f.name) && !f.unreadable).map((f) => f.path);
}

function unitHeading(unit: UnitCheck): string {
  const title = unit.title || unit.type_name;
  return unit.people.length > 0 ? ja.compose.unitProblemFor(title, unit.serial, unit.people.join(ja.compose.peopleSeparator)) : ja.compose.unitProblem(title, unit.serial);
}

export function FileChecks({ check, stale = false, onRemove, only }: Props) {
  // 内容を見る: the file shown as its form, with the rest of its send unit.
  const [viewing, setViewing] = useState<FileCheck | null>(null);
  const files = only ? check.files.filter((f) => only.includes(f.path)) : check.files;
  const names = new Set(files.map((f) => f.name));
  const units = check.units.filter((u) => !u.ok && u.diagnostics.length > 0 && u.files.some((f) => names.has(f)));
  return (
    <ul className="file-checks" aria-busy={stale}>
      {files.map((f) => {
        const findings = mergeFindings(f.diagnostics, f.suppressed);
        return (
          <li key={f.path} className={f.ok ? "ok" : "ng"}>
            <CheckMark ok={f.ok} /> {ja.compose.fileLine(f.name, f.unreadable ? ja.compose.unreadable : f.kind_name)}
            {!f.unreadable && isStandardName(f.name) && (
              <button className="link" type="button" onClick={() => setViewing(f)} aria-label={ja.compose.viewOf(f.name)}>
                {ja.list.view}
              </button>
            )}
            <button className="link" type="button" onClick={() => onRemove(f.path)} aria-label={ja.compose.remove(f.name)}>
              {ja.compose.removeShort}
            </button>
            {f.people.length > 0 && <div className="file-people">{ja.compose.people(f.people.join(ja.compose.peopleSeparator))}</div>}
            {findings.length > 0 && (
              <ul>
                {findings.map((finding) => (
                  <li key={finding.key}>{finding.text}</li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
      {units.map((u) => (
        <li key={u.serial} className="ng">
          <CheckMark ok={false} /> {unitHeading(u)}
          <ul>
            {mergeFindings(u.diagnostics).map((finding) => (
              <li key={finding.key}>{finding.text}</li>
            ))}
          </ul>
        </li>
      ))}
      {viewing && <FormViewerDialog source={{ from: "disk", paths: unitPaths(check, viewing) }} heading={viewing.name} onClose={() => setViewing(null)} />}
    </ul>
  );
}
