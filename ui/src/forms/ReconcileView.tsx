// 予実突合's result: per 利用者 and month, per サービス × 事業所, the days of the month marked
// 一致 / 予定のみ / 実績のみ / 変更, with the totals of 回数 and 単位数 on each side.
import { useState } from "react";
import type { PersonReconciliation } from "../bindings/records/PersonReconciliation";
import type { Reconciliation } from "../bindings/records/Reconciliation";
import type { ServiceComparison } from "../bindings/records/ServiceComparison";
import { ja } from "../i18n";
import type { DayService } from "../bindings/records/DayService";
import { japaneseDate, japaneseMonth, number, ServiceCodeText, timeRange } from "./values";
import "./forms.css";

/** Up to this many people, every person's days are shown at once; more, as the user opens them. */
export const DAYS_SHOWN_UP_TO = 10;

const keyOf = (p: PersonReconciliation) => `${p.person.insurer}-${p.person.insured}-${p.month}`;

export function ReconcileView({ result }: { result: Reconciliation }) {
  const t = ja.forms.reconcile;
  const [open, setOpen] = useState<Set<string>>(() => new Set(result.people.length <= DAYS_SHOWN_UP_TO ? result.people.map(keyOf) : []));
  const toggle = (key: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  return (
    <div className="reconcile-result">
      <p role="status" className={result.with_differences > 0 ? "alert warning" : "alert success"}>
        {t.summary(result.compared, result.with_differences)}
        {(result.actual_missing > 0 || result.plan_missing > 0) && (
          <>
            <br />
            {t.missingSides(result.actual_missing, result.plan_missing)}
          </>
        )}
      </p>
      <table className="form-table reconcile-people">
        <thead>
          <tr>
            <th>{t.person}</th>
            <th>{t.monthColumn}</th>
            <th>{t.statusColumn}</th>
            <th className="number">{t.plannedCount}</th>
            <th className="number">{t.actualCount}</th>
            <th className="number">{t.plannedUnits}</th>
            <th className="number">{t.actualUnits}</th>
            <th>{t.daysColumn}</th>
          </tr>
        </thead>
        <tbody>
          {result.people.map((p) => {
            const key = keyOf(p);
            return (
              <tr key={key} data-status={p.status}>
                <td>{p.person.label}</td>
                <td>{japaneseMonth(p.month)}</td>
                <td className={`person-status ${p.status}`}>{t.personStatus[p.status]}</td>
                <td className="number">{p.totals.planned_count}</td>
                <td className="number">{p.totals.actual_count}</td>
                <td className="number">{number(p.totals.planned_units)}</td>
                <td className="number">{number(p.totals.actual_units)}</td>
                <td>
                  {p.services.length > 0 && (
                    <button className="link" type="button" aria-expanded={open.has(key)} onClick={() => toggle(key)} aria-label={t.daysOf(p.person.label)}>
                      {open.has(key) ? t.hideDays : t.showDays}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="form-note">{t.legend}</p>
      {result.people
        .filter((p) => open.has(keyOf(p)))
        .map((p) => (
          <PersonResult key={keyOf(p)} person={p} />
        ))}
    </div>
  );
}

/** `2025-04` → 30. */
function daysIn(month: string): number {
  const [y, m] = month.split("-").map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function PersonResult({ person }: { person: PersonReconciliation }) {
  const t = ja.forms.reconcile;
  const days = daysIn(person.month);
  return (
    <section className="form-file" aria-label={`${person.person.label} ${japaneseMonth(person.month)}`}>
      <h3>
        {person.person.label}
        {ja.forms.value.gap}
        {t.month(japaneseMonth(person.month))}
        {ja.forms.value.gap}
        <span className={`person-status ${person.status}`}>{t.personStatus[person.status]}</span>
      </h3>
      <p className="muted">
        {t.totals(person.totals.planned_count, person.totals.actual_count)}
        {ja.forms.value.gap}
        {t.unitTotals(number(person.totals.planned_units), number(person.totals.actual_units))}
      </p>
      {person.services.length > 0 && (
        <table className="form-table reconcile-grid">
          <colgroup>
            <col className="rc-service" />
            {Array.from({ length: days }, (_, d) => (
              <col key={d} className="rc-day" />
            ))}
            <col className="rc-total" />
          </colgroup>
          <thead>
            <tr>
              <th>{t.service}</th>
              {Array.from({ length: days }, (_, d) => (
                <th key={d} className="number">
                  {d + 1}
                </th>
              ))}
              <th>{ja.forms.useSheet.total}</th>
            </tr>
          </thead>
          <tbody>
            {person.services.map((s, i) => (
              <ServiceLine key={i} service={s} days={days} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function dayTitle(day: ServiceComparison["days"][number]): string {
  const t = ja.forms.reconcile;
  const parts = [t.dayDetail(day.date, t.dayStatus[day.status]), t.countOf(day.planned?.count ?? 0, day.actual?.count ?? 0)];
  if (day.time_changed) parts.push(t.timeChanged);
  if (day.count_changed) parts.push(t.countChanged);
  return parts.join(ja.forms.value.detailSeparator);
}

/** A day's visits in words: 「09:30～10:30、14:00～15:00（2回）」, or なし. */
function visits(day: DayService | null): string {
  const t = ja.forms.reconcile;
  if (!day) return t.none;
  const times = day.visits.map((v) => timeRange(v.start, v.end)).join(ja.forms.value.listSeparator);
  return t.visits(times, day.count);
}

function ServiceLine({ service, days }: { service: ServiceComparison; days: number }) {
  const t = ja.forms.reconcile;
  // Only the days with something planned or done are compared; the others stay blank.
  const byDay = new Map(service.days.map((d) => [Number(d.date.slice(8, 10)), d]));
  const differing = service.days.filter((d) => d.status !== "matching");
  return (
    <>
    <tr>
      <td>
        <ServiceCodeText value={service.service_code} />
        <div>{service.provider_name}</div>
        <div className="code">{service.provider_number}</div>
        {!service.provider_reported && <div className="error-text">{t.notReported}</div>}
      </td>
      {Array.from({ length: days }, (_, d) => {
        const day = byDay.get(d + 1);
        return (
          <td key={d} className={day ? `day ${day.status}` : "day"} title={day ? dayTitle(day) : undefined} data-status={day?.status}>
            {day ? t.dayMark[day.status] : ""}
          </td>
        );
      })}
      <td>
        <div>{t.totals(service.totals.planned_count, service.totals.actual_count)}</div>
        <div className="muted">{t.unitTotals(number(service.totals.planned_units), number(service.totals.actual_units))}</div>
      </td>
    </tr>
    {differing.length > 0 && (
      <tr className="reconcile-details">
        <td colSpan={days + 2}>
          <ul>
            {differing.map((d) => (
              <li key={d.date} data-status={d.status}>
                {t.difference(japaneseDate(d.date), t.dayStatus[d.status], visits(d.planned), visits(d.actual))}
              </li>
            ))}
          </ul>
        </td>
      </tr>
    )}
    </>
  );
}
