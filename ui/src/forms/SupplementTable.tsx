// 第7表 サービス利用票別表: 区分支給限度管理・利用者負担計算, one table per person with the service
// rows, the 小計 rows of each サービス種類 (AAAA; EEEE outside the limit, ZZZZ past 30 days) and the
// 全合計 row (999999) drawn as totals; below, 種類別支給限度管理 from the unit's 利用者補足情報.
import type { SupplementInfoRow } from "../bindings/records/SupplementInfoRow";
import type { SupplementRow } from "../bindings/records/SupplementRow";
import { ja } from "../i18n";
import { Item } from "./findings";
import { useUnit } from "./unit";
import { Code, japaneseDate, monthOf, number } from "./values";

export function SupplementTable({ rows }: { rows: SupplementRow[] }) {
  const people = [...new Map(rows.map((r) => [`${r.insurer}|${r.insured}|${r.month}`, r])).values()];
  return (
    <>
      {people.map((p) => (
        <SupplementSheet key={`${p.insurer}-${p.insured}-${p.month}`} rows={rows.filter((r) => r.insurer === p.insurer && r.insured === p.insured && r.month === p.month)} />
      ))}
    </>
  );
}

function rowLabel(row: SupplementRow): string {
  const t = ja.forms.supplement;
  const kind = row.service_code.kind_name ?? row.service_code.kind ?? "";
  switch (row.service_code.row) {
    case "subtotal":
      return t.subtotal(kind);
    case "outside_limit_subtotal":
      return t.outsideLimitSubtotal(kind);
    case "over30_days_subtotal":
      return t.over30Subtotal(kind);
    case "grand_total":
      return t.grandTotal;
    default:
      return kind;
  }
}

function SupplementSheet({ rows }: { rows: SupplementRow[] }) {
  const t = ja.forms.supplement;
  const c = ja.forms.common;
  const unit = useUnit();
  const first = rows[0];
  const hosoku = unit.hosoku(first.insurer, first.insured);
  const n = (row: SupplementRow, field: keyof SupplementRow, value: number | null) => (
    <td className="number">
      <Item line={row.line} field={field}>
        {number(value)}
      </Item>
    </td>
  );
  const shortStay = rows.filter((r) => r.days_before !== null || r.planned_days !== null || r.cumulative_days !== null);
  return (
    <article className="sheet landscape supplement" aria-label={t.title}>
      <header className="sheet-head">
        <h3>{t.title}</h3>
        <div className="sheet-corner">
          <div>{monthOf(first.month)}</div>
          <div>
            {c.createdOn} {japaneseDate(first.created_on)}
          </div>
        </div>
      </header>
      <p>
        {t.person(unit.addressee(first.insurer, first.insured), first.insurer, first.insured)}
      </p>
      <h4>{t.heading}</h4>
      <table className="form-table supplement-table">
        <thead>
          <tr>
            <th>{t.provider}</th>
            <th>{t.providerNumber}</th>
            <th>{t.service}</th>
            <th>{t.code}</th>
            <th>{t.units}</th>
            <th>{t.discount}</th>
            <th>{t.count}</th>
            <th>{t.unitAmount}</th>
            <th>{t.kindOver}</th>
            <th>{t.kindWithin}</th>
            <th>{t.categoryOver}</th>
            <th>{t.categoryWithin}</th>
            <th>{t.unitPrice}</th>
            <th>{t.totalCost}</th>
            <th>{t.benefitRate}</th>
            <th>{t.claim}</th>
            <th>{t.fixedCopay}</th>
            <th>{t.copay}</th>
            <th>{t.fullCopay}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const special = row.service_code.row !== "service";
            return (
              <tr key={row.line} data-line={row.line} className={special ? `summary-row ${row.service_code.row}` : undefined}>
                <td>{special ? "" : row.provider_name}</td>
                <td>
                  <Item line={row.line} field="provider_number">
                    {row.service_code.row === "grand_total" ? "" : row.provider_number}
                  </Item>
                </td>
                <td>
                  {rowLabel(row)}
                  {row.equipment_name && <div className="muted">{ja.forms.useSheet.equipment(row.equipment_name)}</div>}
                </td>
                <td>
                  <Item line={row.line} field="service_code">
                    <span className="code">{row.service_code.code}</span>
                  </Item>
                </td>
                {n(row, "units", row.units)}
                <td className="number">
                  <Item line={row.line} field="discounted_units">
                    {row.discount_rate !== null ? `${row.discount_rate}% ` : ""}
                    {number(row.discounted_units)}
                  </Item>
                </td>
                {n(row, "count", row.count)}
                {n(row, "unit_amount", row.unit_amount)}
                {n(row, "kind_over_units", row.kind_over_units)}
                {n(row, "kind_within_units", row.kind_within_units)}
                {n(row, "category_over_units", row.category_over_units)}
                {n(row, "category_within_units", row.category_within_units)}
                <td className="number">{row.unit_price === null ? "" : row.unit_price.toFixed(2)}</td>
                {n(row, "total_cost", row.total_cost)}
                {n(row, "benefit_rate", row.benefit_rate)}
                {n(row, "claim_amount", row.claim_amount)}
                {n(row, "fixed_copay_unit_price", row.fixed_copay_unit_price)}
                {n(row, "copay", row.copay)}
                {n(row, "full_copay", row.full_copay)}
              </tr>
            );
          })}
        </tbody>
      </table>
      {hosoku && <KindLimits hosoku={hosoku} />}
      {shortStay.length > 0 && (
        <>
          <h4>{t.shortStayHeading}</h4>
          <table className="form-table narrow">
            <thead>
              <tr>
                <th>{t.provider}</th>
                <th>{t.daysBefore}</th>
                <th>{t.plannedDays}</th>
                <th>{t.cumulativeDays}</th>
              </tr>
            </thead>
            <tbody>
              {shortStay.map((row) => (
                <tr key={row.line}>
                  <td>{row.provider_name}</td>
                  {n(row, "days_before", row.days_before)}
                  {n(row, "planned_days", row.planned_days)}
                  {n(row, "cumulative_days", row.cumulative_days)}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </article>
  );
}

/** The 区分支給限度基準額 and the nine slots of 種類別 limits (filled from slot 1). */
export function kindSlots(h: SupplementInfoRow) {
  return ([1, 2, 3, 4, 5, 6, 7, 8, 9] as const)
    .map((n) => ({
      slot: n,
      kind: h[`kind_${n}_code`],
      limit: h[`kind_${n}_limit`],
      units: h[`kind_${n}_units`],
      over: h[`kind_${n}_over_units`],
    }))
    .filter((s) => s.kind !== null);
}

function KindLimits({ hosoku }: { hosoku: SupplementInfoRow }) {
  const t = ja.forms.supplement;
  const slots = kindSlots(hosoku);
  return (
    <div className="limits">
      <p>
        {hosoku.benefit_limit !== null && t.benefitLimit(number(hosoku.benefit_limit))}
        {ja.forms.value.gap}
        {hosoku.total_over_units !== null && t.totalOver(number(hosoku.total_over_units))}
      </p>
      {slots.length > 0 && (
        <>
          <h4>{t.limitsHeading}</h4>
          <KindLimitTable hosoku={hosoku} />
        </>
      )}
    </div>
  );
}

/** 種類別支給限度管理: each filled slot's サービス種類, 支給限度基準額, 合計単位数 and 限度超単位数. */
export function KindLimitTable({ hosoku }: { hosoku: SupplementInfoRow }) {
  const t = ja.forms.supplement;
  return (
    <table className="form-table narrow">
      <thead>
        <tr>
          <th>{ja.forms.common.serviceKind}</th>
          <th>{t.kindLimit}</th>
          <th>{t.kindUnits}</th>
          <th>{t.kindOverUnits}</th>
        </tr>
      </thead>
      <tbody>
        {kindSlots(hosoku).map((s) => (
          <tr key={s.slot}>
            <td>
              <Code value={s.kind} />
            </td>
            <td className="number">{number(s.limit)}</td>
            <td className="number">{number(s.units)}</td>
            <td className="number">{number(s.over)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
