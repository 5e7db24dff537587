// The 介護予防 files: 利用者基本情報 (with 別表1 1日の生活, 別表2 現病歴・既往歴 and the family
// picture) and 介護予防サービス・支援計画書 with its 別表 (支援計画), which carries continuation
// rows as 第2表 does.
import type { BasicInfoHistoryRow } from "../bindings/records/BasicInfoHistoryRow";
import type { BasicInfoRow } from "../bindings/records/BasicInfoRow";
import type { BasicInfoScheduleRow } from "../bindings/records/BasicInfoScheduleRow";
import type { ItemLabel } from "../bindings/records/ItemLabel";
import type { PreventionPlanDetailRow } from "../bindings/records/PreventionPlanDetailRow";
import type { PreventionPlanRow } from "../bindings/records/PreventionPlanRow";
import { ja } from "../i18n";
import { Item } from "./findings";
import { RecordItems } from "./RecordItems";
import { useUnit } from "./unit";
import { AnyValue } from "./RecordItems";
import { japaneseDate, LongText } from "./values";

type Rows<T> = { rows: T[]; items: ItemLabel[] };

export function BasicInfoForm({ rows, items }: Rows<BasicInfoRow>) {
  return (
    <>
      {rows.map((row) => (
        <article key={row.line} className="sheet portrait basic-info" data-line={row.line} aria-label={ja.forms.prevention.basicTitle}>
          <header className="sheet-head">
            <h3>{ja.forms.prevention.basicTitle}</h3>
          </header>
          <RecordItems row={row} items={items} />
        </article>
      ))}
    </>
  );
}

/** A table of records under the layout's item names (別表1, 別表2). */
function ItemTable<T extends { line: number }>({ title, rows, items }: Rows<T> & { title: string }) {
  const unit = useUnit();
  const columns = items.filter((i) => !["line", "csv_version", "insurer", "insured", "consulted_on"].includes(i.field));
  const people = [...new Map(rows.map((r) => { const p = r as unknown as BasicInfoScheduleRow; return [`${p.insurer}|${p.insured}|${p.consulted_on}`, p]; })).values()];
  return (
    <>
      {people.map((p) => (
        <article key={`${p.insurer}-${p.insured}-${p.consulted_on}`} className="sheet portrait" aria-label={title}>
          <header className="sheet-head">
            <h3>{title}</h3>
            <div className="sheet-corner">
              {unit.addressee(p.insurer, p.insured)}
              {ja.forms.value.gap}
              {japaneseDate(p.consulted_on)}
            </div>
          </header>
          <table className="form-table">
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.field}>{c.name}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows
                .filter((r) => { const x = r as unknown as BasicInfoScheduleRow; return x.insurer === p.insurer && x.insured === p.insured && x.consulted_on === p.consulted_on; })
                .map((r) => (
                  <tr key={r.line} data-line={r.line}>
                    {columns.map((c) => (
                      <td key={c.field}>
                        <Item line={r.line} field={c.field}>
                          <AnyValue value={(r as unknown as Record<string, unknown>)[c.field]} />
                        </Item>
                      </td>
                    ))}
                  </tr>
                ))}
            </tbody>
          </table>
        </article>
      ))}
    </>
  );
}

export const ScheduleTable = (props: Rows<BasicInfoScheduleRow>) => <ItemTable title={ja.forms.prevention.scheduleTitle} {...props} />;
export const HistoryTable = (props: Rows<BasicInfoHistoryRow>) => <ItemTable title={ja.forms.prevention.historyTitle} {...props} />;

export function PreventionPlanForm({ rows, items }: Rows<PreventionPlanRow>) {
  return (
    <>
      {rows.map((row) => (
        <article key={row.line} className="sheet landscape prevention-plan" data-line={row.line} aria-label={ja.forms.prevention.planTitle}>
          <header className="sheet-head">
            <h3>{ja.forms.prevention.planTitle}</h3>
          </header>
          <RecordItems row={row} items={items} />
        </article>
      ))}
    </>
  );
}

/** 別表 支援計画: a continuation row leaves 総合的課題 and its proposal blank, as on paper. */
export function PreventionDetailTable({ rows }: Rows<PreventionPlanDetailRow>) {
  const t = ja.forms.prevention;
  const unit = useUnit();
  const first = rows[0];
  if (!first) return null;
  return (
    <article className="sheet landscape prevention-detail" aria-label={t.detailTitle}>
      <header className="sheet-head">
        <h3>{t.detailTitle}</h3>
        <div className="sheet-corner">
          {unit.addressee(first.insurer, first.insured)}
          {ja.forms.value.gap}
          {japaneseDate(first.plan_date)}
        </div>
      </header>
      <table className="form-table">
        <thead>
          <tr>
            <th>{t.issue}</th>
            <th>{t.proposal}</th>
            <th>{t.wishes}</th>
            <th>{t.goal}</th>
            <th>{t.points}</th>
            <th>{t.selfCare}</th>
            <th>{t.insured}</th>
            <th>{t.useType}</th>
            <th>{t.useOffice}</th>
            <th>{t.usePeriod}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const cell = (field: keyof PreventionPlanDetailRow, text: string) => (
              <td>
                <Item line={r.line} field={field}>
                  <LongText text={text} />
                </Item>
              </td>
            );
            return (
              <tr key={r.line} data-line={r.line} className={r.continuation.issue ? "continued" : undefined}>
                {cell("overall_issue", r.overall_issue)}
                {cell("proposal", r.proposal)}
                {cell("wishes", r.wishes)}
                {cell("goal", r.goal)}
                {cell("support_points", r.support_points)}
                {cell("self_care", r.self_care)}
                {cell("insured_services", r.insured_services)}
                {cell("use_service_type", r.use_service_type)}
                {cell("use_office", r.use_office)}
                {cell("use_period", r.use_period)}
              </tr>
            );
          })}
        </tbody>
      </table>
    </article>
  );
}
