// 第1表 居宅サービス計画書(1): one sheet per person, portrait, as the paper form. 利用者名 and the
// birth date come from the unit's 利用者補足情報.
import type { ReactNode } from "react";
import type { Plan1Row } from "../bindings/records/Plan1Row";
import { ja } from "../i18n";
import { Item } from "./findings";
import { useUnit } from "./unit";
import { Code, japaneseDate, LongText } from "./values";

export function Plan1Form({ rows }: { rows: Plan1Row[] }) {
  return (
    <>
      {rows.map((row) => (
        <Plan1Sheet key={row.line} row={row} />
      ))}
    </>
  );
}

function Plan1Sheet({ row }: { row: Plan1Row }) {
  const t = ja.forms.plan1;
  const c = ja.forms.common;
  const unit = useUnit();
  const hosoku = unit.hosoku(row.insurer, row.insured);
  const at = (field: keyof Plan1Row, value: ReactNode) => (
    <Item line={row.line} field={field}>
      {value}
    </Item>
  );
  return (
    <article className="sheet portrait plan1" data-line={row.line} aria-label={t.title}>
      <header className="sheet-head">
        <h3>{t.title}</h3>
        <div className="sheet-corner">
          <div>
            {c.createdOn} {at("created_on", japaneseDate(row.created_on))}
          </div>
          <div>
            {t.planClass} {at("plan_class", <Code value={row.plan_class} />)}
            {ja.forms.value.gap}
            {t.certificationStatus} {at("certification_status", <Code value={row.certification_status} />)}
          </div>
        </div>
      </header>
      <table className="form-table plan1-table">
        <colgroup>
          <col style={{ width: "18%" }} />
          <col style={{ width: "22%" }} />
          <col style={{ width: "10%" }} />
          <col style={{ width: "16%" }} />
          <col style={{ width: "8%" }} />
          <col style={{ width: "26%" }} />
        </colgroup>
        <tbody>
          <tr>
            <th>{c.personName}</th>
            <td className="person-name">{unit.addressee(row.insurer, row.insured)}</td>
            <th>{c.birthDate}</th>
            <td>{japaneseDate(hosoku?.birth_date)}</td>
            <th>{c.address}</th>
            <td>
              {at("postal_code", row.postal_code)} {at("address1", row.address1)} {at("address2", row.address2)}
            </td>
          </tr>
          <tr>
            <th>{c.insurer}</th>
            <td>{at("insurer", row.insurer)}</td>
            <th>{c.insured}</th>
            <td colSpan={3}>{at("insured", row.insured)}</td>
          </tr>
          <tr>
            <th>{t.planner}</th>
            <td colSpan={5}>{at("planner_name", row.planner_name)}</td>
          </tr>
          <tr>
            <th>{t.office}</th>
            <td colSpan={5}>
              {ja.forms.value.withNumber(row.office_name, row.office_number)}{" "}
              {at("office_postal_code", row.office_postal_code)} {at("office_address1", row.office_address1)} {at("office_address2", row.office_address2)}
            </td>
          </tr>
          <tr>
            <th>{c.planDate}</th>
            <td colSpan={2}>{at("plan_date", japaneseDate(row.plan_date))}</td>
            <th>{t.firstPlanDate}</th>
            <td colSpan={2}>{at("first_plan_date", japaneseDate(row.first_plan_date))}</td>
          </tr>
          <tr>
            <th>{t.certifiedOn}</th>
            <td colSpan={2}>{at("certified_on", japaneseDate(row.certified_on))}</td>
            <th>{t.certificationPeriod}</th>
            <td colSpan={2}>
              {at("certification_starts_on", japaneseDate(row.certification_starts_on))}
              {ja.forms.value.period("", "")}
              {at("certification_ends_on", japaneseDate(row.certification_ends_on))}
            </td>
          </tr>
          <tr>
            <th>{c.careLevel}</th>
            <td colSpan={5} className="care-level">
              {at("care_level", <Code value={row.care_level} />)}
            </td>
          </tr>
          <tr>
            <th>{t.assessment}</th>
            <td colSpan={5} className="long">
              {at("assessment_result", <LongText text={row.assessment_result} />)}
            </td>
          </tr>
          <tr>
            <th>{t.board}</th>
            <td colSpan={5} className="long">
              {at("board_opinion", <LongText text={row.board_opinion} />)}
            </td>
          </tr>
          <tr>
            <th>{t.policy}</th>
            <td colSpan={5} className="long">
              {at("overall_policy", <LongText text={row.overall_policy} />)}
            </td>
          </tr>
          <tr>
            <th>{t.livingSupport}</th>
            <td colSpan={5}>
              {at("living_support_reason", <Code value={row.living_support_reason} />)}
              {row.other_reason && (
                <>
                  {ja.forms.value.gap}
                  {t.otherReason}: {at("other_reason", <LongText text={row.other_reason} />)}
                </>
              )}
            </td>
          </tr>
        </tbody>
      </table>
    </article>
  );
}
