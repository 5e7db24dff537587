// ○ or × beside a checked file, read out as 問題なし / 問題あり: a span's aria-label alone is not read
// by screen readers, an image's is.
import { ja } from "../i18n";

export function CheckMark({ ok }: { ok: boolean }) {
  return (
    <span role="img" aria-label={ok ? ja.compose.fileOk : ja.compose.fileNg}>
      {ok ? ja.compose.markOk : ja.compose.markNg}
    </span>
  );
}
