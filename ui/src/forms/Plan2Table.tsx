// 第2表 居宅サービス計画書(2): 課題 → 目標 (長期・短期) → 援助内容, each level spanning the rows of the
// level below as on paper. The hierarchy (continuation rows carried forward, standard §2.4) is
// built on the Rust side (Plan2Form). Landscape; a long table breaks between rows when printed.
import type { Plan2Form } from "../bindings/records/Plan2Form";
import { ja } from "../i18n";
import { Item } from "./findings";
import { useUnit } from "./unit";
import { japaneseDate, LongText } from "./values";

export function Plan2Table({ forms }: { forms: Plan2Form[] }) {
  return (
    <>
      {forms.map((form) => (
        <Plan2Sheet key={`${form.insurer}-${form.insured}-${form.plan_date}`} form={form} />
      ))}
    </>
  );
}

function Plan2Sheet({ form }: { form: Plan2Form }) {
  const t = ja.forms.plan2;
  const unit = useUnit();
  return (
    <article className="sheet landscape plan2" aria-label={t.title}>
      <header className="sheet-head">
        <h3>{t.title}</h3>
        <div className="sheet-corner">
          <div>{unit.addressee(form.insurer, form.insured)}</div>
          <div>
            {ja.forms.common.planDate} {japaneseDate(form.plan_date)}
          </div>
        </div>
      </header>
      <table className="form-table plan2-table">
        <colgroup>
          <col style={{ width: "14%" }} />
          <col style={{ width: "12%" }} />
          <col style={{ width: "7%" }} />
          <col style={{ width: "12%" }} />
          <col style={{ width: "7%" }} />
          <col style={{ width: "15%" }} />
          <col style={{ width: "3%" }} />
          <col style={{ width: "8%" }} />
          <col style={{ width: "10%" }} />
          <col style={{ width: "6%" }} />
          <col style={{ width: "6%" }} />
        </colgroup>
        <thead>
          <tr>
            <th rowSpan={2}>{t.issue}</th>
            <th colSpan={4}>{t.goals}</th>
            <th colSpan={6}>{t.support}</th>
          </tr>
          <tr>
            <th>{t.longTerm}</th>
            <th>{t.period}</th>
            <th>{t.shortTerm}</th>
            <th>{t.period}</th>
            <th>{t.content}</th>
            <th>{t.covered}</th>
            <th>{t.type}</th>
            <th>{t.provider}</th>
            <th>{t.frequency}</th>
            <th>{t.contentPeriod}</th>
          </tr>
        </thead>
        <tbody>
          {form.issues.flatMap((issue, i) => {
            const issueRows = issue.goals.reduce((n, g) => n + Math.max(1, g.contents.length), 0);
            return issue.goals.flatMap((goal, g) => {
              const goalRows = Math.max(1, goal.contents.length);
              const contents = goal.contents.length > 0 ? goal.contents : [null];
              return contents.map((content, c) => {
                const line = content?.line ?? 0;
                // A 課題's and a 目標's texts are read from the record of their first row.
                const issueLine = issue.goals[0]?.contents[0]?.line ?? line;
                const goalLine = goal.contents[0]?.line ?? line;
                return (
                  <tr key={`${i}-${g}-${c}`} data-line={line}>
                    {g === 0 && c === 0 && (
                      <td rowSpan={issueRows} className="issue">
                        <Item line={issueLine} field="issue">
                          <LongText text={issue.issue} />
                        </Item>
                      </td>
                    )}
                    {c === 0 && (
                      <>
                        <td rowSpan={goalRows}>
                          <Item line={goalLine} field="long_term_goal">
                            <LongText text={goal.long_term_goal} />
                          </Item>
                        </td>
                        <td rowSpan={goalRows}>
                          <Item line={goalLine} field="long_term_period">
                            <LongText text={goal.long_term_period} />
                          </Item>
                        </td>
                        <td rowSpan={goalRows}>
                          <Item line={goalLine} field="short_term_goal">
                            <LongText text={goal.short_term_goal} />
                          </Item>
                        </td>
                        <td rowSpan={goalRows}>
                          <Item line={goalLine} field="short_term_period">
                            <LongText text={goal.short_term_period} />
                          </Item>
                        </td>
                      </>
                    )}
                    {content ? (
                      <>
                        <td>
                          <Item line={line} field="service_content">
                            <LongText text={content.service_content} />
                          </Item>
                        </td>
                        <td className="center" title={content.insurance_covered?.meaning}>
                          <Item line={line} field="insurance_covered">
                            {content.insurance_covered?.code === "Y" ? t.coveredMark : ""}
                          </Item>
                        </td>
                        <td>
                          <Item line={line} field="service_type">
                            <LongText text={content.service_type} />
                          </Item>
                        </td>
                        <td>
                          <Item line={line} field="provider_name">
                            <LongText text={content.provider_name} />
                          </Item>
                          {content.provider_number && <div className="code">{content.provider_number}</div>}
                        </td>
                        <td>
                          <Item line={line} field="frequency">
                            <LongText text={content.frequency} />
                          </Item>
                        </td>
                        <td>
                          <Item line={line} field="period">
                            <LongText text={content.period} />
                          </Item>
                        </td>
                      </>
                    ) : (
                      <td colSpan={6} />
                    )}
                  </tr>
                );
              });
            });
          })}
        </tbody>
      </table>
      <p className="form-note">{t.note1}</p>
      <p className="form-note">{t.note2}</p>
    </article>
  );
}
