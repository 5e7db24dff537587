// 送受信履歴: every file the office sent or received over a period, with who sent it, who took it and
// when, its 受領証, and the later versions that replaced it ("which plan did the partner take?").
// Filters by direction, partner, 利用者, kind and 対象年月; the whole period saves as CSV for Excel or
// shows as an A4 report to print for a 運営指導.
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useBackend } from "../backend/BackendContext";
import { ask, useFileKindNames, useHistory } from "../backend/queries";
import type { FileEntry } from "../bindings/FileEntry";
import type { HistoryActor } from "../bindings/HistoryActor";
import type { HistoryDirection } from "../bindings/HistoryDirection";
import type { HistoryEntry } from "../bindings/HistoryEntry";
import type { HistoryKind } from "../bindings/HistoryKind";
import type { HistoryQuery } from "../bindings/HistoryQuery";
import type { Office } from "../bindings/Office";
import { ErrorAlert } from "../components/ErrorAlert";
import { Loaded } from "../components/Loaded";
import { UnitContents } from "../components/UnitContents";
import { date, dateTime, japanToday } from "../components/format";
import { ja } from "../i18n";
import { HistoryReport } from "./HistoryReport";

export const HISTORY_PER_PAGE = 100;

const KINDS: HistoryKind[] = ["plan", "use_plan", "actual", "basic_info", "prevention_plan", "supplement", "attachment"];

/** The form as typed: dates `YYYY-MM-DD`, month `YYYY-MM` (the month input's), the rest free text. */
type Filters = {
  from: string;
  to: string;
  direction: "" | HistoryDirection;
  partner: string;
  person: string;
  kind: "" | HistoryKind;
  month: string;
};

function isoDate(day: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

/** The first filters: from the first day of the month two months ago to today, everything. */
export function defaultFilters(today: Date): Filters {
  return {
    from: isoDate(new Date(today.getFullYear(), today.getMonth() - 2, 1)),
    to: isoDate(today),
    direction: "",
    partner: "",
    person: "",
    kind: "",
    month: "",
  };
}

/** The filters as the relay takes them: a 10-character 利用者 is a 被保険者番号, anything else part of a name. */
export function queryOf(filters: Filters, page: number): HistoryQuery {
  // Numbers typed with the IME come full-width: ０１２ is 012.
  const person = filters.person.normalize("NFKC").trim();
  const partner = filters.partner.normalize("NFKC").replace(/[\s-]/g, "");
  const insured = /^[0-9A-Za-z]{10}$/.test(person);
  const query: HistoryQuery = { from: filters.from, to: filters.to, page, per_page: HISTORY_PER_PAGE };
  if (filters.direction) query.direction = filters.direction;
  if (partner) query.partner = partner;
  if (person && insured) query.insured = person;
  if (person && !insured) query.name = person;
  if (filters.kind) query.kind = filters.kind;
  if (filters.month) query.month = monthOf(filters.month);
  return query;
}

/** 対象年月 as the relay takes it (YYYYMM), from the month picker's `2025-04` or a month typed where the web view has no picker (`2025/4`, `2025年4月`, `202504`). */
export function monthOf(text: string): string {
  const typed = /^(\d{4})\D*(\d{1,2})\D*$/.exec(text.normalize("NFKC").trim());
  return typed ? `${typed[1]}${typed[2].padStart(2, "0")}` : text.trim();
}

/** The 受領証 of a row, as 送信一覧 saves it. */
function fileOf(entry: HistoryEntry): FileEntry {
  return { id: entry.file_id, name: entry.name, category: entry.category, csv_version: null, size: entry.size, sha256: entry.sha256, fetched_at: entry.fetched_at };
}

export function actorText(actor: HistoryActor | null): string {
  if (!actor || (!actor.person_id && !actor.terminal)) return ja.history.noRecord;
  return ja.history.actor(actor.person_name ?? "", actor.person_id ?? ja.history.noRecord, actor.terminal ?? "");
}

/** What a row is: the standard's name of its kind, or PDF等. */
export function useKindLabel(): (entry: HistoryEntry) => string {
  const names = useFileKindNames().data ?? {};
  return (entry) => (entry.kind ? (names[entry.kind] ?? entry.kind) : ja.list.category.attachment);
}

type Props = {
  /** The office logged in, for the printed report's heading. */
  office: Office;
  /** Today, for the first period (tests fix it). */
  today?: Date;
};

export function HistoryScreen({ office, today = japanToday() }: Props) {
  const backend = useBackend();
  const t = ja.history;
  const [filters, setFilters] = useState<Filters>(() => defaultFilters(today));
  // What was searched: the form can change without the list changing until 検索.
  const [searched, setSearched] = useState<Filters>(filters);
  const [page, setPage] = useState(1);
  const query = queryOf(searched, page);
  const history = useHistory(query);
  const [reporting, setReporting] = useState<HistoryQuery | null>(null);
  const csv = useMutation({ mutationFn: (q: HistoryQuery) => ask(() => backend.saveHistoryCsv(q)) });
  const receipt = useMutation({ mutationFn: (file: FileEntry) => ask(() => backend.saveReceipt(file)) });
  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => setFilters((f) => ({ ...f, [key]: value }));

  function search(event: FormEvent) {
    event.preventDefault();
    csv.reset();
    // The same filters again: asked again, for what was sent or taken since.
    if (page === 1 && JSON.stringify(filters) === JSON.stringify(searched)) void history.refetch();
    setSearched(filters);
    setPage(1);
  }
  function clear() {
    const first = defaultFilters(today);
    setFilters(first);
    setSearched(first);
    setPage(1);
  }
  // The whole period for the export and the report: the page is theirs to choose.
  const { page: _page, per_page: _perPage, ...whole } = query;

  const shown = history.data;
  const pages = shown ? Math.max(1, Math.ceil(shown.total / shown.per_page)) : 1;
  return (
    <section aria-label={ja.tabs.history}>
      <p className="muted">{t.intro}</p>
      <form className="history-filters" onSubmit={search} aria-label={t.filters}>
        <label>
          {t.from}
          <input type="date" value={filters.from} required onChange={(e) => set("from", e.target.value)} />
        </label>
        <label>
          {t.to}
          <input type="date" value={filters.to} required onChange={(e) => set("to", e.target.value)} />
        </label>
        <label>
          {t.direction}
          <select value={filters.direction} onChange={(e) => set("direction", e.target.value as Filters["direction"])}>
            <option value="">{t.directionAll}</option>
            <option value="sent">{t.directionSent}</option>
            <option value="received">{t.directionReceived}</option>
          </select>
        </label>
        <label>
          {t.partner}
          <input inputMode="numeric" maxLength={10} value={filters.partner} onChange={(e) => set("partner", e.target.value)} />
        </label>
        <div className="history-field">
          <label>
            {t.person}
            <input value={filters.person} maxLength={50} aria-describedby="history-person-hint" onChange={(e) => set("person", e.target.value)} />
          </label>
          <span id="history-person-hint" className="muted small">
            {t.personHint}
          </span>
        </div>
        <label>
          {t.kind}
          <select value={filters.kind} onChange={(e) => set("kind", e.target.value as Filters["kind"])}>
            <option value="">{t.kindAll}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t.kinds[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.month}
          <input type="month" value={filters.month} onChange={(e) => set("month", e.target.value)} />
        </label>
        <div className="history-filter-actions">
          <button className="button" type="submit">
            {t.search}
          </button>
          <button className="button secondary" type="button" onClick={clear}>
            {t.clear}
          </button>
        </div>
      </form>
      <div className="toolbar">
        {shown && <strong>{t.searched(shown.from.replaceAll("-", "/"), shown.to.replaceAll("-", "/"), shown.total)}</strong>}
        {shown && <span className="muted">{ja.list.page(shown.page, pages, shown.total)}</span>}
        <button className="button secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
          {ja.list.previous}
        </button>
        <button className="button secondary" disabled={page >= pages} onClick={() => setPage(page + 1)}>
          {ja.list.next}
        </button>
        <button className="button secondary" disabled={!shown || shown.total === 0 || csv.isPending} onClick={() => csv.mutate(whole)}>
          {t.saveCsv}
        </button>
        <button className="button secondary" disabled={!shown || shown.total === 0} onClick={() => setReporting(whole)}>
          {t.print}
        </button>
      </div>
      {csv.data && (
        <div role="status" className="alert success">
          {t.csvSaved(csv.data)}
        </div>
      )}
      {receipt.data && (
        <div role="status" className="alert success">
          {ja.list.receiptSaved(receipt.data)}
        </div>
      )}
      <ErrorAlert error={csv.error ?? receipt.error} />
      <Loaded query={history}>{(page) => (page.items.length === 0 ? <p className="muted">{t.empty}</p> : <HistoryTable items={page.items} onReceipt={(e) => receipt.mutate(fileOf(e))} />)}</Loaded>
      {reporting && <HistoryReport office={office} query={reporting} onClose={() => setReporting(null)} />}
    </section>
  );
}

function HistoryTable({ items, onReceipt }: { items: HistoryEntry[]; onReceipt: (entry: HistoryEntry) => void }) {
  const t = ja.history;
  const kindLabel = useKindLabel();
  return (
    <table className="list history-table">
      <colgroup>
        <col style={{ width: "8.5rem" }} />
        <col style={{ width: "3.5rem" }} />
        <col style={{ width: "12%" }} />
        <col />
        <col style={{ width: "15%" }} />
        <col style={{ width: "11%" }} />
        <col style={{ width: "13%" }} />
        <col style={{ width: "5rem" }} />
        <col style={{ width: "12%" }} />
      </colgroup>
      <thead>
        <tr>
          <th>{t.sentAt}</th>
          <th>{t.directionColumn}</th>
          <th>{t.partnerColumn}</th>
          <th>{t.file}</th>
          <th>{t.contents}</th>
          <th>{t.sentBy}</th>
          <th>{t.fetched}</th>
          <th>{t.receipt}</th>
          <th>{t.later}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((e) => (
          <tr key={e.file_id} data-testid={`history-${e.file_id}`}>
            <td>{dateTime(e.sent_at)}</td>
            <td>{e.direction === "sent" ? t.sent : t.received}</td>
            <td>
              <div>{e.partner.name}</div>
              <div className="muted">{e.partner.number}</div>
            </td>
            <td>
              <div>{e.name}</div>
              <div className="muted">{kindLabel(e)}</div>
              <div className="muted small digest" title={t.sha256}>
                {t.sha256}: {e.sha256}
              </div>
            </td>
            <td>{e.unit_title && <UnitContents units={[{ serial: e.serial ?? e.file_id, title: e.unit_title, people: e.people }]} />}</td>
            <td>{actorText(e.sent_by)}</td>
            <td>
              {e.fetched_at ? (
                <>
                  <div>{dateTime(e.fetched_at)}</div>
                  <div className="muted">{actorText(e.fetched_by)}</div>
                </>
              ) : e.expired_at ? (
                t.expired(date(e.expired_at))
              ) : (
                t.unfetched
              )}
            </td>
            <td>
              {e.receipt_signature ? (
                e.direction === "sent" ? (
                  <button className="link" type="button" onClick={() => onReceipt(e)} aria-label={ja.list.receiptOf(e.name)}>
                    {t.receiptYes}
                  </button>
                ) : (
                  t.receiptYes
                )
              ) : (
                ja.list.none
              )}
            </td>
            <td>
              <LaterVersions entry={e} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The versions that replaced a row's unit, oldest first, with whether the partner took each; 最新 when none did. */
export function LaterVersions({ entry }: { entry: HistoryEntry }) {
  const t = ja.history;
  if (!entry.serial) return <>{ja.list.none}</>;
  if (entry.later_versions.length === 0) return <span className="muted">{t.latest}</span>;
  return (
    <ul className="files">
      {entry.later_versions.map((v) => (
        <li key={v.file_id}>
          {t.laterVersion(dateTime(v.sent_at), v.fetched_at ? t.laterTaken(dateTime(v.fetched_at)) : t.unfetched)}
        </li>
      ))}
    </ul>
  );
}
