// 利用事業所検索 where a destination is chosen by hand (新規作成, 一括送信): a care manager knows a
// partner office by its name, rarely by its 事業所番号. The relay's directory is searched by part of
// the name (kana or kanji) or the first digits of the 事業所番号, optionally narrowed by 市区町村 and
// サービス種類; choosing a result hands
// its office to the screen, which takes it as if the number had been typed.
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { useDirectory, useServiceKindNames } from "../backend/queries";
import type { DirectorySearch } from "../bindings/DirectorySearch";
import type { Office } from "../bindings/Office";
import { ja } from "../i18n";
import { ErrorAlert } from "./ErrorAlert";
import { useServiceKindLabels } from "./ServiceKinds";

/** A name (or number) alone must be this long: one character matches half the register. */
export const MIN_NAME_CHARS = 2;
/** As the relay takes them (longer fields are refused there). */
const MAX_FIELD_CHARS = 100;

/**
 * The search the fields ask for, or the reason it is refused before anything is asked. Digits alone
 * (full-width too, as Japanese input often gives them) are the first digits of a 事業所番号.
 */
export function searchOf(nameOrNumber: string, city: string, serviceKind: string): DirectorySearch | string {
  const n = nameOrNumber.trim();
  const c = city.trim();
  if (n === "" && c === "") return ja.directory.nothingTyped;
  if (c === "" && [...n].length < MIN_NAME_CHARS) return ja.directory.tooShort(MIN_NAME_CHARS);
  const digits = n.normalize("NFKC");
  const isNumber = /^[0-9]+$/.test(digits);
  return { prefecture: "", city: c, name: isNumber ? "" : n, service_kind: serviceKind, number: isNumber ? digits : "", page: 1 };
}

const sameSearch = (a: DirectorySearch | null, b: DirectorySearch) => a !== null && JSON.stringify(a) === JSON.stringify(b);

/** Up and down arrows move between the results, as in a list box; Enter or Space chooses. */
function moveBetweenResults(event: KeyboardEvent<HTMLUListElement>) {
  if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
  const buttons = [...event.currentTarget.querySelectorAll<HTMLButtonElement>("button")];
  const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
  const next = buttons[at + (event.key === "ArrowDown" ? 1 : -1)];
  if (next) {
    event.preventDefault();
    next.focus();
  }
}

type Props = {
  onChoose: (office: Office) => void;
  /** What else the screen offers when the search finds nothing or fails. */
  otherwise?: string;
};

export function DirectoryFinder({ onChoose, otherwise }: Props) {
  const id = useId();
  const kindLabels = useServiceKindLabels();
  const kindNames = useServiceKindNames().data ?? {};
  const [name, setName] = useState("");
  const [city, setCity] = useState("");
  const [serviceKind, setServiceKind] = useState("");
  const [refusal, setRefusal] = useState<string | null>(null);
  const [asked, setAsked] = useState<DirectorySearch | null>(null);
  const found = useDirectory(asked);
  const nameField = useRef<HTMLInputElement>(null);

  function search(event: FormEvent) {
    event.preventDefault();
    const next = searchOf(name, city, serviceKind);
    if (typeof next === "string") {
      setRefusal(next);
      nameField.current?.focus();
      return;
    }
    setRefusal(null);
    if (sameSearch(asked, next)) void found.refetch();
    else setAsked(next);
  }
  const toPage = (page: number) => setAsked((a) => (a ? { ...a, page } : a));

  const page = found.data;
  const pages = page ? Math.max(1, Math.ceil(page.total / page.per_page)) : 1;
  const first = page ? (page.page - 1) * page.per_page + 1 : 0;
  /** The answer to the search asked, once it is in (not while the next one is coming). */
  const shown = asked !== null && page !== undefined && !found.isFetching && !found.isError ? page : null;
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => {
    // The focused button (検索, or a pager's) was disabled or went away while the answer came: the
    // keyboard goes on at the results, or at the name when there are none.
    if (!shown || document.activeElement !== document.body) return;
    (list.current?.querySelector("button") ?? nameField.current)?.focus();
  }, [shown]);
  return (
    <section className="directory-finder" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{ja.directory.heading}</h3>
      <form className="toolbar" role="search" aria-labelledby={`${id}-heading`} onSubmit={search} noValidate>
        <label>
          {ja.directory.name}{" "}
          <input ref={nameField} type="text" value={name} maxLength={MAX_FIELD_CHARS} aria-describedby={`${id}-hint`} aria-invalid={refusal !== null} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          {ja.directory.city}{" "}
          <input type="text" value={city} maxLength={MAX_FIELD_CHARS} onChange={(e) => setCity(e.target.value)} />
        </label>
        <label>
          {ja.directory.serviceKind}{" "}
          <select value={serviceKind} onChange={(e) => setServiceKind(e.target.value)}>
            <option value="">{ja.directory.anyKind}</option>
            {Object.keys(kindNames)
              .sort()
              .map((code) => (
                <option key={code} value={code}>
                  {kindLabels([code])[0]}
                </option>
              ))}
          </select>
        </label>
        <button className="button secondary" type="submit" disabled={found.isFetching}>
          {ja.directory.search}
        </button>
      </form>
      <p className="muted" id={`${id}-hint`}>
        {ja.directory.hint}
      </p>
      {refusal && (
        <div className="alert error" role="alert">
          {refusal}
        </div>
      )}
      {asked && found.isError && !found.isFetching && (
        <>
          <ErrorAlert error={found.error} />
          <p className="alert warning" role="alert">
            {ja.directory.failed}
            {otherwise && ` ${otherwise}`}
          </p>
        </>
      )}
      {/* One live region from the start, so that each change of it is read out. */}
      <p role="status" className={shown && shown.total === 0 ? "alert warning" : "muted"}>
        {asked && found.isFetching ? ja.directory.searching : shown ? (shown.total === 0 ? `${ja.directory.none}${otherwise ? ` ${otherwise}` : ""}` : ja.directory.found(shown.total, first, first + shown.items.length - 1)) : null}
      </p>
      {shown && (
        <>
          {shown.items.length > 0 && (
            <ul ref={list} className="directory-results" aria-label={ja.directory.results} onKeyDown={moveBetweenResults}>
              {shown.items.map(({ office }) => (
                <li key={office.number}>
                  <button className="directory-entry" type="button" aria-label={ja.directory.choose(ja.directory.entry(office.name, office.number))} aria-describedby={`${id}-${office.number}`} onClick={() => onChoose(office)}>
                    <strong>{office.name}</strong> <span>{office.number}</span>
                    <span className="muted" id={`${id}-${office.number}`}>
                      {" "}
                      {ja.directory.kinds(kindLabels(office.service_kinds).join(ja.list.kindSeparator))} {ja.directory.area(office.prefecture, office.city)}
                      {!office.uses_system && <span className="error-text"> {ja.directory.notUsing}</span>}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {pages > 1 && (
            <div className="toolbar">
              <button className="button secondary" type="button" disabled={shown.page <= 1} onClick={() => toPage(shown.page - 1)}>
                {ja.directory.previous}
              </button>
              <span>{ja.directory.pageOf(shown.page, pages)}</span>
              <button className="button secondary" type="button" disabled={shown.page >= pages} onClick={() => toPage(shown.page + 1)}>
                {ja.directory.next}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
