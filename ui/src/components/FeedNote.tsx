// What the header says about 受信通知 and 自動取得 when there is something to say: a stopped feed
// (ログインが必要です), a relay out of reach, polling instead of a live feed, and the last pass of
// 自動取得. Nothing while all is well and nothing was fetched.
import type { Feed } from "../backend/feed";
import { ja } from "../i18n";

export function FeedNote({ feed, autoFetch }: Feed) {
  const notes: { text: string; alert: boolean }[] = [];
  if (feed?.status === "login_required") notes.push({ text: ja.feed.loginRequired, alert: true });
  if (feed?.status === "unreachable") notes.push({ text: ja.feed.unreachable, alert: false });
  if (feed?.status === "polling") notes.push({ text: ja.feed.polling, alert: false });
  if (autoFetch?.failure) {
    const retry = autoFetch.retry_in_seconds;
    const after = retry === null ? null : retry < 60 ? ja.feed.seconds(retry) : ja.feed.minutes(Math.round(retry / 60));
    notes.push({ text: ja.feed.autoFetchFailed(autoFetch.failure) + (after === null ? "" : ja.feed.autoFetchRetry(after)), alert: true });
  } else if (autoFetch && autoFetch.saved > 0) {
    notes.push({ text: ja.feed.autoFetched(autoFetch.saved), alert: false });
  }
  return (
    <div className="feed-note" role="status">
      {notes.map((note) => (
        <p key={note.text} className={note.alert ? "alert warning" : "muted"}>
          {note.text}
        </p>
      ))}
    </div>
  );
}
