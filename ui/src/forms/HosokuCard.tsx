// 利用者補足情報: whom the unit is about (氏名, 生年月日, 住所, 認定) and the limits of each サービス種類.
import type { ItemLabel } from "../bindings/records/ItemLabel";
import type { SupplementInfoRow } from "../bindings/records/SupplementInfoRow";
import { ja } from "../i18n";
import { RecordItems } from "./RecordItems";
import { KindLimitTable, kindSlots } from "./SupplementTable";
import { japaneseMonth } from "./values";

const SLOT_FIELD = /^kind_\d_/;

export function HosokuCard({ rows, items }: { rows: SupplementInfoRow[]; items: ItemLabel[] }) {
  const t = ja.forms.hosoku;
  return (
    <>
      {rows.map((row) => (
          <article key={row.line} className="sheet portrait hosoku" data-line={row.line} aria-label={t.title}>
            <header className="sheet-head">
              <h3>{t.title}</h3>
              <div className="sheet-corner">{row.month === null ? t.tiedToPlan : t.tiedToMonth(japaneseMonth(row.month))}</div>
            </header>
            <RecordItems row={row} items={items.filter((i) => !SLOT_FIELD.test(i.field))} />
            {kindSlots(row).length > 0 && <KindLimitTable hosoku={row} />}
          </article>
      ))}
    </>
  );
}
