// Values as the paper forms write them: dates in 年月日, codes always with their meaning, numbers
// with thousands separators. The standard's records come typed (ui/src/bindings/records).
import type { Coded } from "../bindings/records/Coded";
import type { ServiceCode } from "../bindings/records/ServiceCode";
import { ja } from "../i18n";

const v = () => ja.forms.value;

/** `2025-04-01` → `2025年4月1日`; null or empty → "". */
export function japaneseDate(text: string | null | undefined): string {
  if (!text) return "";
  const [y, m, d] = text.slice(0, 10).split("-").map(Number);
  return v().date(y, m, d);
}

/** `2025-04` → `2025年4月`. */
export function japaneseMonth(text: string | null | undefined): string {
  if (!text) return "";
  const [y, m] = text.split("-").map(Number);
  return v().month(y, m);
}

/** `2025-04` → `2025年4月分`. */
export function monthOf(text: string): string {
  const [y, m] = text.split("-").map(Number);
  return v().monthOf(y, m);
}

/** Start and end of a service; both null is a service without a time (most 加算). */
export function timeRange(start: string | null, end: string | null): string {
  if (start === null && end === null) return v().noTime;
  return v().timeRange(start ?? "", end ?? "");
}

/** `19705` → `19,705`; null → "". */
export function number(n: number | null | undefined): string {
  return n === null || n === undefined ? "" : n.toLocaleString("ja-JP");
}

/** A code of the standard's code tables: the meaning, with the code beside it, smaller. */
export function Code({ value }: { value: Coded | null | undefined }) {
  if (!value) return null;
  return (
    <span className="coded">
      {value.meaning} <span className="code">{value.code}</span>
    </span>
  );
}

/** A サービスコード with the name of its サービス種類 (the names of single codes are not in the standard). */
export function ServiceCodeText({ value }: { value: ServiceCode }) {
  return (
    <span className="coded">
      {value.kind_name ?? value.kind} <span className="code">{value.code}</span>
    </span>
  );
}

/** Free text as written, its line breaks kept. */
export function LongText({ text }: { text: string }) {
  return <span className="long-text">{text.replaceAll("\r\n", "\n")}</span>;
}
