// 第3表 週間サービス計画表: 月〜日 × the day's hours, each service a block from its start to its end,
// 主な日常生活上の活動 in the last column and 週単位以外のサービス below, as on paper (landscape).
import type { CSSProperties } from "react";
import type { WeeklyPlan } from "../bindings/records/WeeklyPlan";
import type { WeeklySlot } from "../bindings/records/WeeklySlot";
import { ja } from "../i18n";
import { Item } from "./findings";
import { useUnit } from "./unit";
import { japaneseDate, LongText, timeRange } from "./values";

/** Half-hour rows from 0:00 to 24:00. */
const ROWS = 48;

/** `09:30` → its half-hour row (0–48); rounded down for a start, up for an end. */
function rowOf(time: string | null, end: boolean): number | null {
  if (time === null) return null;
  const [h, m] = time.split(":").map(Number);
  const halves = h * 2 + m / 30;
  return Math.min(ROWS, Math.max(0, end ? Math.ceil(halves) : Math.floor(halves)));
}

/** Where a block sits: its rows, and its lane when services of one day overlap. */
type Placed = { from: number; to: number; lane: number; lanes: number };

function place<T>(items: T[], span: (item: T) => [number, number]): Map<T, Placed> {
  const placed = new Map<T, Placed>();
  const sorted = [...items].sort((a, b) => span(a)[0] - span(b)[0]);
  let group: T[] = [];
  let groupEnd = -1;
  const close = () => {
    const lanes: number[] = [];
    for (const item of group) {
      const [from, to] = span(item);
      let lane = lanes.findIndex((end) => end <= from);
      if (lane < 0) lane = lanes.push(to) - 1;
      else lanes[lane] = to;
      placed.set(item, { from, to, lane, lanes: 0 });
    }
    for (const item of group) placed.get(item)!.lanes = lanes.length;
    group = [];
  };
  for (const item of sorted) {
    const [from, to] = span(item);
    if (from >= groupEnd) close();
    group.push(item);
    groupEnd = Math.max(groupEnd, to);
  }
  close();
  return placed;
}

/** Columns: 1 the band (深夜, 早朝 …), 2 the hour, 3–9 月 to 日, 10 主な日常生活上の活動. */
const DAY_COLUMN = 3;
const ACTIVITY_COLUMN = 10;

function blockStyle(column: number, p: Placed): CSSProperties {
  return {
    gridColumn: column,
    gridRow: `${p.from + 2} / ${Math.max(p.to, p.from + 1) + 2}`,
    marginLeft: `${(p.lane * 100) / p.lanes}%`,
    width: `${100 / p.lanes}%`,
  };
}

/** A block's rows: an activity at one moment (起床 06:30～06:30) takes one row, a service past
 * midnight runs to the end of the day. */
const slotSpan = (s: { start: string | null; end: string | null }): [number, number] => {
  const from = rowOf(s.start, false) ?? 0;
  const to = rowOf(s.end, true);
  if (to === null || to === from) return [from, Math.min(ROWS, from + 1)];
  return [from, to < from ? ROWS : to];
};

const BANDS: { key: keyof typeof ja.forms.plan3.bands; from: number; to: number }[] = [
  { key: "lateNight", from: 0, to: 12 },
  { key: "early", from: 12, to: 16 },
  { key: "morning", from: 16, to: 24 },
  { key: "afternoon", from: 24, to: 36 },
  { key: "evening", from: 36, to: 44 },
  { key: "lateNight", from: 44, to: 48 },
];

export function WeeklyGrid({ plans }: { plans: WeeklyPlan[] }) {
  return (
    <>
      {plans.map((plan) => (
        <WeeklySheet key={`${plan.insurer}-${plan.insured}-${plan.plan_date}`} plan={plan} />
      ))}
    </>
  );
}

function WeeklySheet({ plan }: { plan: WeeklyPlan }) {
  const t = ja.forms.plan3;
  const unit = useUnit();
  const timed = plan.slots.filter((s) => s.start !== null);
  const byDay = [...t.weekdays].map((_, d) => place(timed.filter((s) => s.weekday === d + 1), slotSpan));
  const activities = place(plan.activities.filter((a) => a.start !== null), slotSpan);
  const untimed = plan.slots.filter((s) => s.start === null);
  return (
    <article className="sheet landscape plan3" aria-label={t.title}>
      <header className="sheet-head">
        <h3>{t.title}</h3>
        <div className="sheet-corner">
          <div>{unit.addressee(plan.insurer, plan.insured)}</div>
          <div>
            {ja.forms.common.planDate} {japaneseDate(plan.plan_date)}
          </div>
        </div>
      </header>
      <div className="week-grid" role="table" aria-label={t.title}>
        <div className="week-head" role="columnheader" style={{ gridColumn: "1 / 3", gridRow: 1 }}>
          {t.time}
        </div>
        {[...t.weekdays].map((day, d) => (
          <div key={day} className="week-head" role="columnheader" style={{ gridColumn: DAY_COLUMN + d, gridRow: 1 }}>
            {day}
          </div>
        ))}
        <div className="week-head" role="columnheader" style={{ gridColumn: ACTIVITY_COLUMN, gridRow: 1 }}>
          {t.activity}
        </div>
        {BANDS.map((band) => (
          <div key={band.from} className="week-band" style={{ gridColumn: 1, gridRow: `${band.from + 2} / ${band.to + 2}` }}>
            {t.bands[band.key]}
          </div>
        ))}
        {Array.from({ length: ROWS / 2 }, (_, h) => (
          <div key={h} className="week-hour-label" style={{ gridColumn: 2, gridRow: `${h * 2 + 2} / ${h * 2 + 4}` }}>
            {`${h}:00`}
          </div>
        ))}
        {Array.from({ length: ROWS / 2 }, (_, h) => (
          <div key={h} className="week-hour" style={{ gridColumn: `${DAY_COLUMN} / ${ACTIVITY_COLUMN + 1}`, gridRow: `${h * 2 + 2} / ${h * 2 + 4}` }} />
        ))}
        {[...t.weekdays].map((day, d) => (
          <div key={day} className="week-day-line" style={{ gridColumn: DAY_COLUMN + d, gridRow: `2 / ${ROWS + 2}` }} />
        ))}
        {byDay.flatMap((placed, d) =>
          [...placed].map(([slot, p]) => (
            <div key={slot.line} className="week-slot" data-line={slot.line} data-weekday={slot.weekday} style={blockStyle(DAY_COLUMN + d, p)}>
              <SlotText slot={slot} />
            </div>
          )),
        )}
        {[...activities].map(([activity, p]) => (
          <div key={activity.line} className="week-activity" data-line={activity.line} style={blockStyle(ACTIVITY_COLUMN, p)}>
            <span className="week-time">{timeRange(activity.start, activity.end)}</span>
            <Item line={activity.line} field="activity">
              <LongText text={activity.activity} />
            </Item>
          </div>
        ))}
      </div>
      {untimed.length > 0 && (
        <ul className="week-untimed">
          {untimed.map((slot) => (
            <li key={slot.line}>
              {slot.weekday_name}: <SlotText slot={slot} />
            </li>
          ))}
        </ul>
      )}
      <table className="form-table">
        <tbody>
          <tr>
            <th>{t.nonWeekly}</th>
            <td className="long">
              {plan.non_weekly_services.map((text, i) => (
                <div key={i}>
                  <LongText text={text} />
                </div>
              ))}
            </td>
          </tr>
        </tbody>
      </table>
    </article>
  );
}

function SlotText({ slot }: { slot: WeeklySlot }) {
  return (
    <>
      <span className="week-time">
        <Item line={slot.line} field="start">
          {slot.start ?? ""}
        </Item>
        {ja.forms.value.timeRange("", "")}
        <Item line={slot.line} field="end">
          {slot.end ?? ""}
        </Item>
      </span>
      <Item line={slot.line} field="service_content">
        <LongText text={slot.content} />
      </Item>
    </>
  );
}
