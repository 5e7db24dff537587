// 第6表 サービス利用票 (予定 or 実績): the month's days with their 曜日 across, one line per サービス
// and 事業所 (the Rust side's UseSheetGrid), the count of each day, 合計回数 and 単位数; the days a
// service is claimed by the day (日割) underlined. Landscape, as on paper.
import type { GridLine } from "../bindings/records/GridLine";
import type { UseSheetGrid } from "../bindings/records/UseSheetGrid";
import type { UseSheetRow } from "../bindings/records/UseSheetRow";
import { ja } from "../i18n";
import { FindingNotes, Item, useFindings } from "./findings";
import { useUnit } from "./unit";
import { Code, japaneseDate, monthOf, number, ServiceCodeText, timeRange } from "./values";

type Props = { grids: UseSheetGrid[]; rows: UseSheetRow[]; actual: boolean };

export function UseSheetForm({ grids, rows, actual }: Props) {
  return (
    <>
      {grids.map((grid) => (
        <UseSheet key={`${grid.insurer}-${grid.insured}-${grid.month}`} grid={grid} rows={rows} actual={actual} />
      ))}
    </>
  );
}

function UseSheet({ grid, rows, actual }: { grid: UseSheetGrid; rows: UseSheetRow[]; actual: boolean }) {
  const t = ja.forms.useSheet;
  const c = ja.forms.common;
  const unit = useUnit();
  const mine = rows.filter((r) => r.insurer === grid.insurer && r.insured === grid.insured && r.month === grid.month);
  const first = mine[0];
  const hosoku = unit.hosoku(grid.insurer, grid.insured);
  const days = Array.from({ length: grid.days }, (_, d) => d);
  const totalUnits = grid.lines.reduce((sum, line) => sum + line.total_units, 0);
  const title = actual ? t.actualTitle : t.planTitle;
  return (
    <article className="sheet landscape use-sheet" aria-label={title}>
      <header className="sheet-head">
        <h3>{title}</h3>
        <div className="sheet-corner">
          <div>
            {t.month} {monthOf(grid.month)}
          </div>
          {first && (
            <div>
              {c.createdOn} {japaneseDate(first.created_on)}
            </div>
          )}
        </div>
      </header>
      <table className="form-table sheet-summary">
        <tbody>
          <tr>
            <th>{c.insurer}</th>
            <td>{grid.insurer}</td>
            <th>{c.insured}</th>
            <td>{grid.insured}</td>
            <th>{c.personName}</th>
            <td className="person-name">{unit.addressee(grid.insurer, grid.insured)}</td>
          </tr>
          <tr>
            <th>{t.planner}</th>
            <td colSpan={3}>
              {first && (
                <>
                  {first.planner_name}{" "}
                  <Item line={first.line} field="planner_number">
                    {first.planner_number}
                  </Item>
                </>
              )}
            </td>
            <th>{c.careLevel}</th>
            <td>
              <Code value={hosoku?.care_level} />
            </td>
          </tr>
          {hosoku && (
            <tr>
              <th>{t.limit}</th>
              <td colSpan={3}>{hosoku.benefit_limit === null ? "" : ja.forms.value.units(number(hosoku.benefit_limit))}</td>
              <th>{t.limitPeriod}</th>
              <td>{ja.forms.value.period(japaneseDate(hosoku.limit_starts_on), japaneseDate(hosoku.limit_ends_on))}</td>
            </tr>
          )}
        </tbody>
      </table>
      <table className="form-table use-grid">
        <colgroup>
          <col className="use-time" />
          <col className="use-service" />
          <col className="use-provider" />
          {days.map((d) => (
            <col key={d} className="use-day" />
          ))}
          <col className="use-total" />
          <col className="use-units" />
        </colgroup>
        <thead>
          <tr>
            <th rowSpan={2}>{t.time}</th>
            <th rowSpan={2}>{t.service}</th>
            <th rowSpan={2}>{t.provider}</th>
            {days.map((d) => (
              <th key={d} className={weekendClass(grid.month, d)}>
                {d + 1}
              </th>
            ))}
            <th rowSpan={2}>{t.total}</th>
            <th rowSpan={2}>{t.totalUnits}</th>
          </tr>
          <tr>
            {days.map((d) => (
              <th key={d} className={weekendClass(grid.month, d)}>
                {grid.weekdays[d]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {grid.lines.map((line, i) => (
            <UseLine key={i} line={line} grid={grid} rows={mine} />
          ))}
          <tr className="total-row">
            <th colSpan={3 + grid.days + 1}>{t.sum}</th>
            <td className="number">{number(totalUnits)}</td>
          </tr>
        </tbody>
      </table>
      <p className="form-note">{t.dayRateLegend}</p>
      {first?.short_stay_days_before ? <p className="form-note">{t.shortStay(first.short_stay_days_before)}</p> : null}
    </article>
  );
}

/** Saturdays and Sundays are tinted, as on the printed calendars of the care software. */
function weekendClass(month: string, day: number): string | undefined {
  const [y, m] = month.split("-").map(Number);
  const weekday = new Date(Date.UTC(y, m - 1, day + 1)).getUTCDay();
  return weekday === 6 ? "saturday" : weekday === 0 ? "sunday" : undefined;
}

function UseLine({ line, grid, rows }: { line: GridLine; grid: UseSheetGrid; rows: UseSheetRow[] }) {
  const t = ja.forms.useSheet;
  const findings = useFindings().onLines(line.lines);
  const flagged = findings.some((d) => d.severity === "error") ? "flagged error" : findings.length > 0 ? "flagged warning" : undefined;
  const equipment = [...new Set(rows.filter((r) => line.lines.includes(r.line) && r.equipment_name).map((r) => r.equipment_name))];
  const cells = line.counts.slice(0, grid.days);
  return (
    <>
      <tr className={flagged} data-lines={line.lines.join(" ")}>
        <td>{timeRange(line.start, line.end)}</td>
        <td>
          <ServiceCodeText value={line.service_code} />
          {equipment.map((name) => (
            <div key={name} className="muted">
              {t.equipment(name)}
            </div>
          ))}
        </td>
        <td>
          {line.provider_name}
          <div className="code">
            {line.provider_number}
            {line.satellite ? `-${line.satellite}` : ""}
          </div>
        </td>
        {cells.map((count, d) => (
          <td
            key={d}
            className={["day", weekendClass(grid.month, d), line.day_rate[d] ? "day-rate" : undefined].filter(Boolean).join(" ")}
            title={line.day_rate[d] ? t.dayRate : undefined}
          >
            {count > 0 ? count : ""}
          </td>
        ))}
        <td className="number">{line.total_count}</td>
        <td className="number">{number(line.total_units)}</td>
      </tr>
      {findings.length > 0 && (
        <tr className="finding-row">
          <td colSpan={3 + grid.days + 2}>
            <FindingNotes findings={findings} />
          </td>
        </tr>
      )}
    </>
  );
}
