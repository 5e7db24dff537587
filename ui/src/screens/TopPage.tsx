// トップページ: お知らせ一覧, ライセンス・証明書情報 (with warnings from 30 days before expiry), and
// how many received files wait to be fetched.
import { useHome } from "../backend/queries";
import type { Home } from "../bindings/Home";
import { Loaded } from "../components/Loaded";
import { date, dateTime, daysUntil, EXPIRY_WARNING_DAYS, japanToday } from "../components/format";
import { ja } from "../i18n";
import { SupportContact } from "../components/SupportContact";
import { tour } from "../tutorial/targets";

function ExpiryNote({ until, today }: { until: string; today: Date }) {
  const days = daysUntil(until, today);
  if (days < 0) return <div className="alert error" role="alert">{ja.top.expired}</div>;
  if (days <= EXPIRY_WARNING_DAYS) return <div className="alert warning">{ja.top.expiresSoon(days)}</div>;
  return null;
}

type Props = { today?: Date; /** The 未取得 banner's way to 受信一覧. */ onOpenInbox?: () => void };

/** `today` defaults to the relay's date (Japan), which the expiry dates are in, not the PC's. */
export function TopPage({ today = japanToday(), onOpenInbox }: Props) {
  const home = useHome();
  return <Loaded query={home}>{(answer) => <Overview home={answer} today={today} onOpenInbox={onOpenInbox} />}</Loaded>;
}

function Overview({ home, today, onOpenInbox }: { home: Home; today: Date; onOpenInbox?: () => void }) {
  return (
    <>
      {home.unfetched > 0 ? (
        <div className="alert warning toolbar">
          <span>{ja.top.unfetched(home.unfetched)}</span>
          {onOpenInbox && (
            <button className="button secondary" type="button" onClick={onOpenInbox}>
              {ja.top.toInbox}
            </button>
          )}
        </div>
      ) : (
        <div className="alert success">{ja.top.noneUnfetched}</div>
      )}
      {home.expiring_sent > 0 && (
        <div className="alert warning" role="note">
          {ja.top.expiringSent(home.expiring_sent)}
        </div>
      )}
      <section className="panel" aria-labelledby="notices" {...tour("notices")}>
        <h2 id="notices">{ja.top.notices}</h2>
        {home.notices.length === 0 ? (
          <p className="muted">{ja.top.noNotices}</p>
        ) : (
          <ul>
            {home.notices.map((notice) => (
              <li key={notice.id}>
                <strong>{ja.top.notice(dateTime(notice.published_at), notice.title)}</strong>
                <div>{notice.body}</div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="panel" aria-labelledby="licence" {...tour("licence")}>
        <h2 id="licence">{ja.top.licence}</h2>
        {home.licence ? (
          <>
            <p>{(home.licence.free_pass ? ja.top.licencePeriodFreePass : ja.top.licencePeriod)(date(home.licence.starts_on), date(home.licence.expires_on))}</p>
            <ExpiryNote until={home.licence.expires_on} today={today} />
          </>
        ) : (
          <div className="alert error">{ja.top.noLicence}</div>
        )}
        <p>{ja.top.certificate(date(home.certificate.not_after), home.certificate.subject)}</p>
        <ExpiryNote until={home.certificate.not_after} today={today} />
      </section>
      <div className="panel">
        <SupportContact />
      </div>
    </>
  );
}
