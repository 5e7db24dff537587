// The validator's findings placed on the form: a finding names its file, its line (the record) and
// its item's No. in the layout; a form's cell knows its record's line and its field, and the file's
// item labels say which No. a field reads.
import { createContext, useContext, type ReactNode } from "react";
import type { ApiDiagnostic } from "../bindings/ApiDiagnostic";
import type { OpenedFile } from "../bindings/records/OpenedFile";

export class FileFindings {
  readonly all: ApiDiagnostic[];
  private readonly noOf: Map<string, number>;

  constructor(file: OpenedFile, diagnostics: ApiDiagnostic[]) {
    this.all = diagnostics.filter((d) => d.file === file.file.name);
    this.noOf = new Map(file.items.map((i) => [i.field, i.no]));
  }

  /** The findings on one item of one record. */
  at(line: number, field: string): ApiDiagnostic[] {
    const no = this.noOf.get(field);
    return this.all.filter((d) => d.line === line && no !== undefined && d.item_no === no);
  }

  /** The findings on records of these lines (a line of 第6表's grid is built from several). */
  onLines(lines: number[]): ApiDiagnostic[] {
    return this.all.filter((d) => d.line !== null && d.line !== undefined && lines.includes(d.line));
  }

  get hasErrors(): boolean {
    return this.all.some((d) => d.severity === "error");
  }
}

const NONE = new FileFindings({ file: { name: "" }, items: [] } as unknown as OpenedFile, []);
const FindingsContext = createContext<FileFindings>(NONE);

export function FindingsProvider({ findings, children }: { findings: FileFindings; children: ReactNode }) {
  return <FindingsContext.Provider value={findings}>{children}</FindingsContext.Provider>;
}

export const useFindings = () => useContext(FindingsContext);

/** The findings' messages, written out where they apply (not only in a tooltip). */
export function FindingNotes({ findings }: { findings: ApiDiagnostic[] }) {
  if (findings.length === 0) return null;
  return (
    <span className="finding-notes">
      {findings.map((d, i) => (
        <span key={i} className={`finding ${d.severity}`} role="note">
          {d.message}
        </span>
      ))}
    </span>
  );
}

/** A form's value of one record's field, marked when the validator found something there. */
export function Item({ line, field, children }: { line: number; field: string; children: ReactNode }) {
  const findings = useFindings().at(line, field);
  const severity = findings.some((d) => d.severity === "error") ? "error" : findings.length > 0 ? "warning" : null;
  return (
    <span className={severity ? `item flagged ${severity}` : "item"} data-field={field}>
      {children}
      <FindingNotes findings={findings} />
    </span>
  );
}
