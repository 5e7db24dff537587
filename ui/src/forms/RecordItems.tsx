// A record as the list of its items, each under the layout book's own name (the file's item
// labels): 利用者補足情報 and 利用者基本情報, 介護予防サービス・支援計画書, whose paper forms are long
// sheets of labelled boxes. Items the form does not print (CSVバージョン, 識別子…) are left out.
import type { ItemLabel } from "../bindings/records/ItemLabel";
import type { Coded } from "../bindings/records/Coded";
import { Item } from "./findings";
import { Code, japaneseDate, LongText, number } from "./values";

const NOT_PRINTED = new Set(["line", "csv_version", "updater", "identifier", "continuation"]);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isCoded(value: unknown): value is Coded {
  return typeof value === "object" && value !== null && "code" in value && "meaning" in value;
}

/** A value of any type of the records, as the forms write it. */
export function AnyValue({ value }: { value: unknown }) {
  if (value === null || value === undefined || value === "") return null;
  if (isCoded(value)) return <Code value={value} />;
  if (typeof value === "number") return <>{number(value)}</>;
  if (typeof value === "string") return DATE.test(value) ? <>{japaneseDate(value)}</> : <LongText text={value} />;
  if (typeof value === "boolean") return <>{value ? "○" : ""}</>;
  return <>{JSON.stringify(value)}</>;
}

type Props = {
  row: { line: number } & object;
  items: ItemLabel[];
  /** Fields shown elsewhere on the form. */
  skip?: string[];
  /** Shows empty items too (a form's empty box), or only those with a value. */
  showEmpty?: boolean;
};

export function RecordItems({ row, items, skip = [], showEmpty = false }: Props) {
  const values = row as Record<string, unknown>;
  const shown = items.filter((i) => !NOT_PRINTED.has(i.field) && !skip.includes(i.field) && i.field in values);
  const visible = showEmpty ? shown : shown.filter((i) => values[i.field] !== null && values[i.field] !== "");
  return (
    <dl className="record-items">
      {visible.map((i) => (
        <div key={i.field} className="record-item">
          <dt>{i.name}</dt>
          <dd>
            <Item line={row.line} field={i.field}>
              <AnyValue value={values[i.field]} />
            </Item>
          </dd>
        </div>
      ))}
    </dl>
  );
}
