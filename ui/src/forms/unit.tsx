// What a form needs from the other files of its send unit: 利用者名 and the certification come from
// the unit's 利用者補足情報 (第1表, 第6表 and 第7表 do not carry them), as the importer joins them.
import { createContext, useContext, type ReactNode } from "react";
import type { OpenedFile } from "../bindings/records/OpenedFile";
import type { SupplementInfoRow } from "../bindings/records/SupplementInfoRow";
import type { UnitSummary } from "../bindings/records/UnitSummary";
import { ja } from "../i18n";

export class UnitFiles {
  constructor(
    readonly unit: UnitSummary | null,
    readonly files: OpenedFile[],
  ) {}

  /** The 利用者補足情報 record of a person, when the unit has one. */
  hosoku(insurer: string, insured: string): SupplementInfoRow | null {
    for (const f of this.files) {
      if (f.file.kind !== "UPHOSOKU") continue;
      const row = f.file.rows.find((r) => r.insurer === insurer && r.insured === insured);
      if (row) return row;
    }
    return null;
  }

  /** The person as a form addresses them (「山田 花子 殿」), or by their numbers when no file names them. */
  addressee(insurer: string, insured: string): string {
    const person = this.unit?.people.find((p) => p.insurer === insurer && p.insured === insured);
    return person?.name ? ja.forms.value.honorific(person.name) : ja.forms.value.insuredLabel(insurer, insured);
  }

  /** The person's name, or 保険者番号 and 被保険者番号 when no file of the unit names them. */
  who(insurer: string, insured: string): string {
    const person = this.unit?.people.find((p) => p.insurer === insurer && p.insured === insured);
    return person?.name ?? ja.forms.value.insuredLabel(insurer, insured);
  }
}

const UnitContext = createContext<UnitFiles>(new UnitFiles(null, []));

export function UnitProvider({ unit, children }: { unit: UnitFiles; children: ReactNode }) {
  return <UnitContext.Provider value={unit}>{children}</UnitContext.Provider>;
}

export const useUnit = () => useContext(UnitContext);
