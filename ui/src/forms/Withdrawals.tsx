// A deletion file is not a form: it withdraws one that was sent before. Each record says, in a
// sentence, what the receiver's software will take back.
import type { FileContent } from "../bindings/records/FileContent";
import { ja } from "../i18n";
import { useUnit } from "./unit";
import { japaneseDate, japaneseMonth } from "./values";

type Deletion = Extract<FileContent, { kind: "DLT1KYO" | "DLTPLAN" | "DLTJSK" | "DLTKIHON" | "DLTYOBO" }>;

export const isDeletion = (content: FileContent): content is Deletion => content.kind.startsWith("DLT");

export function Withdrawals({ content }: { content: Deletion }) {
  const t = ja.forms.withdrawal;
  const unit = useUnit();
  const sentences: { line: number; text: string }[] = (() => {
    switch (content.kind) {
      case "DLT1KYO":
        return content.rows.map((r) => ({ line: r.line, text: t.plan(unit.who(r.insurer, r.insured), japaneseDate(r.plan_date)) }));
      case "DLTPLAN":
        return content.rows.map((r) => ({ line: r.line, text: t.usePlan(unit.who(r.insurer, r.insured), japaneseMonth(r.month)) }));
      case "DLTJSK":
        return content.rows.map((r) => ({
          line: r.line,
          text: t.actual(unit.who(r.insurer, r.insured), japaneseMonth(r.month), r.provider_number, ja.forms.value.withNumber(r.service_kind.meaning, r.service_kind.code)),
        }));
      case "DLTKIHON":
        return content.rows.map((r) => ({ line: r.line, text: t.basicInfo(unit.who(r.insurer, r.insured), japaneseDate(r.consulted_on)) }));
      case "DLTYOBO":
        return content.rows.map((r) => ({ line: r.line, text: t.preventionPlan(unit.who(r.insurer, r.insured), japaneseDate(r.plan_date)) }));
    }
  })();
  return (
    <article className="sheet portrait withdrawal" aria-label={t.title}>
      <ul>
        {sentences.map((s) => (
          <li key={s.line} data-line={s.line}>
            {s.text}
          </li>
        ))}
      </ul>
    </article>
  );
}
