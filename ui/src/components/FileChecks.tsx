// The files of a send as checked against the standard, for someone who cannot edit a CSV: each
// file with ○ or ×, what it is and whom it is about, each finding once with how often it happened,
// a unit's problems under the unit's name and people, and 外す on every file, readable or not.
import type { FilesCheck } from "../bindings/FilesCheck";
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

function unitHeading(unit: UnitCheck): string {
  const title = unit.title || unit.type_name;
  return unit.people.length > 0 ? ja.compose.unitProblemFor(title, unit.serial, unit.people.join(ja.compose.peopleSeparator)) : ja.compose.unitProblem(title, unit.serial);
}

export function FileChecks({ check, stale = false, onRemove, only }: Props) {
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
    </ul>
  );
}
