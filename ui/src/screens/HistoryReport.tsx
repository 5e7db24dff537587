// 送受信履歴 as a report to print for an inspector: A4 landscape sheets, each headed with the office,
// the period and the page number, the rows of the whole period in order, and the relay's note on how
// a 受領証 is verified. Shown over the screen first, so the office sees what it prints.
import { useQuery } from "@tanstack/react-query";
import { useRef } from "react";
import { useBackend } from "../backend/BackendContext";
import { ask, queryKeys } from "../backend/queries";
import type { HistoryEntry } from "../bindings/HistoryEntry";
import type { HistoryPage } from "../bindings/HistoryPage";
import type { HistoryQuery } from "../bindings/HistoryQuery";
import type { Office } from "../bindings/Office";
import { Loaded } from "../components/Loaded";
import { useOverlay } from "../components/useOverlay";
import { named } from "../components/UnitContents";
import { date, dateTime } from "../components/format";
import { printForm } from "../forms/print";
import { ja } from "../i18n";
import { actorText, LaterVersions, useKindLabel } from "./HistoryScreen";

/** Rows on one A4 landscape sheet: each takes up to five lines at 7pt (looked at as printed to PDF). */
export const ROWS_PER_SHEET = 8;

type Props = { office: Office; query: HistoryQuery; onClose: () => void };

/** The filters besides the period, in words, for the report's heading. */
function conditionsText(query: HistoryQuery): string {
  const t = ja.history;
  const parts: string[] = [];
  if (query.direction) parts.push(query.direction === "sent" ? t.directionSent : t.directionReceived);
  if (query.partner) parts.push(`${t.partner} ${query.partner}`);
  if (query.insured) parts.push(t.insuredCondition(query.insured));
  if (query.name) parts.push(t.nameCondition(query.name));
  if (query.kind) parts.push(t.kinds[query.kind]);
  if (query.month) parts.push(`${t.month} ${query.month}`);
  return parts.join(t.report.separator);
}

export function HistoryReport({ office, query, onClose }: Props) {
  const backend = useBackend();
  const t = ja.history.report;
  const report = useQuery({
    queryKey: [...queryKeys.history, "report", query],
    queryFn: () => ask(() => backend.historyReport(query)),
    gcTime: 0,
  });
  const block = useRef<HTMLDivElement>(null);
  const { close, onKeyDown: keys } = useOverlay(onClose);
  return (
    <div className="viewer-overlay" role="dialog" aria-modal="true" aria-label={t.dialog} onKeyDown={keys}>
      <div className="viewer-bar">
        <h2>{t.dialog}</h2>
        <button className="button" type="button" disabled={!report.data} onClick={() => block.current && printForm(block.current, "landscape")}>
          {t.print}
        </button>
        <button className="button secondary" type="button" ref={close} onClick={onClose}>
          {t.close}
        </button>
      </div>
      <div className="viewer-body">
        <Loaded query={report} loadingText={t.loading}>
          {(page) => (
            <div ref={block} className="history-report">
              <Sheets office={office} page={page} conditions={conditionsText(query)} />
            </div>
          )}
        </Loaded>
      </div>
    </div>
  );
}

function Sheets({ office, page, conditions }: { office: Office; page: HistoryPage; conditions: string }) {
  const t = ja.history.report;
  const sheets: HistoryEntry[][] = [];
  for (let i = 0; i < page.items.length; i += ROWS_PER_SHEET) sheets.push(page.items.slice(i, i + ROWS_PER_SHEET));
  if (sheets.length === 0) sheets.push([]);
  return (
    <>
      {sheets.map((rows, index) => (
        <section className="sheet landscape history-sheet" key={index} aria-label={t.pageOf(index + 1, sheets.length)}>
          <header className="history-sheet-head">
            <h3>{t.heading}</h3>
            <div>{t.office(office.name, office.number)}</div>
            <div>{t.period(page.from.replaceAll("-", "/"), page.to.replaceAll("-", "/"))}</div>
            {conditions && <div>{t.conditions(conditions)}</div>}
            <div>{t.made(dateTime(page.generated_at), page.total)}</div>
          </header>
          <ReportTable rows={rows} first={index * ROWS_PER_SHEET + 1} />
          <footer className="history-sheet-foot">
            <span>{t.verification(page.receipt_key_id)}</span>
            <span className="page-number">{t.pageOf(index + 1, sheets.length)}</span>
          </footer>
        </section>
      ))}
    </>
  );
}

function ReportTable({ rows, first }: { rows: HistoryEntry[]; first: number }) {
  const t = ja.history;
  const kindLabel = useKindLabel();
  return (
    <table className="form-table history-report-table">
      <colgroup>
        <col style={{ width: "3%" }} />
        <col style={{ width: "8%" }} />
        <col style={{ width: "4%" }} />
        <col style={{ width: "11%" }} />
        <col style={{ width: "35%" }} />
        <col style={{ width: "11%" }} />
        <col style={{ width: "9%" }} />
        <col style={{ width: "10%" }} />
        <col style={{ width: "4%" }} />
        <col style={{ width: "5%" }} />
      </colgroup>
      <thead>
        <tr>
          <th>{t.number}</th>
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
        {rows.map((e, i) => (
          <tr key={e.file_id}>
            <td>{first + i}</td>
            <td>{dateTime(e.sent_at)}</td>
            <td>{e.direction === "sent" ? t.sent : t.received}</td>
            <td>
              {e.partner.name}
              <br />
              {e.partner.number}
            </td>
            <td>
              {e.name}
              <br />
              {kindLabel(e)}
              <br />
              <span className="digest">
                {t.sha256}: {e.sha256}
              </span>
            </td>
            <td>
              {e.unit_title}
              {e.people.length > 0 && (
                <>
                  <br />
                  {named(e.people)}
                </>
              )}
            </td>
            <td>{actorText(e.sent_by)}</td>
            <td>
              {e.fetched_at ? (
                <>
                  {dateTime(e.fetched_at)}
                  <br />
                  {actorText(e.fetched_by)}
                </>
              ) : e.expired_at ? (
                t.expired(date(e.expired_at))
              ) : (
                t.unfetched
              )}
            </td>
            <td>{e.receipt_signature ? t.receiptYes : ja.list.none}</td>
            <td>
              <LaterVersions entry={e} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
