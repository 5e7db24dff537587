// 予実突合's 「受信一覧から選ぶ」「送信一覧から選ぶ」: the list's newest messages that carry files of
// the side (UPPLAN and its 補足 for 予定, UPJSK for 実績), each said in words with its 利用者, to tick
// and put into the side. A 居宅 takes its 予定 from 送信一覧 and the 実績 from 受信一覧; a service
// office the other way round.
import { useEffect, useId, useRef, useState } from "react";
import type { Mailbox } from "../backend/Backend";
import { useMessages } from "../backend/queries";
import type { MessageSummary } from "../bindings/MessageSummary";
import { Loaded } from "../components/Loaded";
import { UnitContents } from "../components/UnitContents";
import { dateTime } from "../components/format";
import { ja } from "../i18n";
import { sideOf, type Side } from "./reconcileSides";

/** How many of the newest messages are offered. */
export const PICKABLE = 50;

type Props = {
  side: Side;
  mailbox: Mailbox;
  onChoose: (messages: MessageSummary[]) => void;
  onCancel: () => void;
};

export function ReconcileListPicker({ side, mailbox, onChoose, onCancel }: Props) {
  const t = ja.forms.reconcile;
  const listName = t.listName[mailbox];
  const listing = useMessages(mailbox, 1, PICKABLE);
  const [ticked, setTicked] = useState<Set<string>>(new Set());
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  // Opened by a button: the keyboard goes on in the picker.
  useEffect(() => heading.current?.focus(), []);
  const toggle = (id: string) =>
    setTicked((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const candidates = (listing.data?.items ?? []).filter((m) => m.files.some((f) => sideOf(f.name) === side));
  const chosen = candidates.filter((m) => ticked.has(m.id));
  return (
    <div className="reconcile-picker" role="group" aria-labelledby={headingId}>
      <h3 id={headingId} ref={heading} tabIndex={-1}>
        {t.fromList(listName)}
      </h3>
      <Loaded query={listing}>
        {() =>
          candidates.length === 0 ? (
            <p className="muted">{t.pickNone(listName, PICKABLE)}</p>
          ) : (
            <ul className="picker-list">
              {candidates.map((m) => (
                <li key={m.id}>
                  <label>
                    <input type="checkbox" checked={ticked.has(m.id)} onChange={() => toggle(m.id)} aria-describedby={`${headingId}-${m.id}`} />
                    <span>{t.messageOf[mailbox](dateTime(m.sent_at), m.counterpart.name)}</span>
                  </label>
                  <div id={`${headingId}-${m.id}`}>
                    <UnitContents units={m.units} />
                  </div>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
      {/* Outside the list's loading: the picker closes whatever the list did. */}
      <div className="toolbar">
        <button className="button" type="button" disabled={chosen.length === 0} onClick={() => onChoose(chosen)}>
          {t.pickAdd}
        </button>
        <button className="button secondary" type="button" onClick={onCancel}>
          {t.pickCancel}
        </button>
      </div>
    </div>
  );
}
