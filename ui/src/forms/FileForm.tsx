// One standard file as its form: the record type (the file's kind) picks the form.
import type { OpenedFile } from "../bindings/records/OpenedFile";
import { ja } from "../i18n";
import { HosokuCard } from "./HosokuCard";
import { Plan1Form } from "./Plan1Form";
import { Plan2Table } from "./Plan2Table";
import { BasicInfoForm, HistoryTable, PreventionDetailTable, PreventionPlanForm, ScheduleTable } from "./PreventionForms";
import { SupplementTable } from "./SupplementTable";
import { UseSheetForm } from "./UseSheetForm";
import { WeeklyGrid } from "./WeeklyGrid";
import { isDeletion, Withdrawals } from "./Withdrawals";

export function FileForm({ opened }: { opened: OpenedFile }) {
  const content = opened.file;
  const items = opened.items;
  if (content.kind === "UPKIHON_IMAGE") return <p className="muted">{ja.forms.viewer.picture(content.rows.bytes)}</p>;
  if (content.rows.length === 0) return <p className="muted">{ja.forms.viewer.noRows}</p>;
  if (isDeletion(content)) return <Withdrawals content={content} />;
  switch (content.kind) {
    case "UPHOSOKU":
      return <HosokuCard rows={content.rows} items={items} />;
    case "UP1KYO":
      return <Plan1Form rows={content.rows} />;
    case "UP2KYO":
      return <Plan2Table forms={opened.plan2} />;
    case "UP3KYO":
      return <WeeklyGrid plans={opened.weekly} />;
    case "UPPLAN":
    case "UPJSK":
      return <UseSheetForm grids={opened.use_sheets} rows={content.rows} actual={content.kind === "UPJSK"} />;
    case "UPSIKYU":
      return <SupplementTable rows={content.rows} />;
    case "UPKIHON":
      return <BasicInfoForm rows={content.rows} items={items} />;
    case "UPKIHON_SUB1":
      return <ScheduleTable rows={content.rows} items={items} />;
    case "UPKIHON_SUB2":
      return <HistoryTable rows={content.rows} items={items} />;
    case "UPYOBO":
      return <PreventionPlanForm rows={content.rows} items={items} />;
    case "UPYOBO_SUB":
      return <PreventionDetailTable rows={content.rows} items={items} />;
    default:
      return null;
  }
}
