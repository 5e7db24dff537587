// What a message holds, in words: per send unit its title (「サービス利用票（予定）2025年4月分」) and
// its 利用者, so a list row says whom it is about without opening a file. 下書き一覧 has them from
// its check of the files (UnitCheck), 受信一覧 and 送信一覧 from the relay (MessageUnit).
import type { MessageUnit } from "../bindings/MessageUnit";
import type { UnitCheck } from "../bindings/UnitCheck";
import { ja } from "../i18n";

export function UnitContents({ units }: { units: (UnitCheck | MessageUnit)[] }) {
  // Attachments alone make no send unit: there is nothing to say about them here.
  if (units.length === 0) return null;
  return (
    <ul className="unit-contents">
      {units.map((u) => (
        <li key={u.serial}>
          <div>{u.title}</div>
          {u.people.length > 0 && <div className="muted">{ja.compose.people(named(u.people))}</div>}
        </li>
      ))}
    </ul>
  );
}

/** How many 利用者 a row names before 「ほか N 人」: a month's 実績 may cover a hundred. */
export const PEOPLE_SHOWN = 3;

/** The first 利用者 by name, then 「ほか N 人」. */
export function named(people: string[]): string {
  const shown = people.slice(0, PEOPLE_SHOWN).join(ja.compose.peopleSeparator);
  return people.length > PEOPLE_SHOWN ? ja.compose.peopleMore(shown, people.length - PEOPLE_SHOWN) : shown;
}
