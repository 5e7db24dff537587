// The files of a send as checked, as FileChecks lists them: the unit's problems under its name and
// people, and never a heading with nothing under it.
import { render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { FileCheck } from "../bindings/FileCheck";
import type { FilesCheck } from "../bindings/FilesCheck";
import type { UnitCheck } from "../bindings/UnitCheck";
import { FileChecks } from "./FileChecks";

const NAME = "UPPLAN_202504_1370000018_43_1370000026_11_20250325120000.CSV";
const file: FileCheck = { path: `/data/${NAME}`, name: NAME, kind_name: "サービス利用票（第6表）予定", ok: true, unreadable: false, sha256: null, people: ["山田花子"], diagnostics: [], suppressed: 0 };
const finding = { code: "unit.missing_file", severity: "error", message: "利用者補足情報がありません。介護ソフトで直して出力し直してください。" };

function unit(change: Partial<UnitCheck>): UnitCheck {
  return { serial: "20250325120000", type_name: "サービス利用票（第6表・第7表・利用者補足情報）", title: "サービス利用票 2025年4月分", people: ["山田花子"], files: [NAME], ok: false, diagnostics: [finding], ...change };
}

function shown(units: UnitCheck[]) {
  const check: FilesCheck = { ok: false, files: [file], units, destinations: ["1370000026"] };
  const { container } = render(<FileChecks check={check} onRemove={vi.fn()} />);
  return container.querySelector<HTMLElement>("ul.file-checks")!;
}

describe("the checked files of a send", () => {
  it("puts a unit's problem under the unit's name and its 利用者", () => {
    const list = shown([unit({})]);
    const heading = within(list).getByText(/サービス利用票 2025年4月分（連番 20250325120000、利用者: 山田花子）/);
    expect(heading.closest("li")).toHaveTextContent(finding.message);
  });

  it("names a unit without a title by its kind, and one without people by its serial alone", () => {
    const list = shown([unit({ title: "", people: [] })]);
    expect(within(list).getByText(/サービス利用票（第6表・第7表・利用者補足情報）（連番 20250325120000）/)).toBeInTheDocument();
  });

  it("shows no heading for a unit with nothing to say, nor for a unit that is fine", () => {
    const list = shown([unit({ diagnostics: [] }), unit({ serial: "20250401093000", ok: true, diagnostics: [] })]);
    // The file's own line only.
    expect(list.children).toHaveLength(1);
    expect(within(list).queryByText(/連番/)).not.toBeInTheDocument();
  });

  it("shows no unit of another destination's files (一括送信 lists each destination's own)", () => {
    const check: FilesCheck = { ok: false, files: [file], units: [unit({ files: ["UPPLAN_other.CSV"] })], destinations: ["1370000026"] };
    render(<FileChecks check={check} onRemove={vi.fn()} only={[file.path]} />);
    expect(screen.queryByText(/連番/)).not.toBeInTheDocument();
  });
});
