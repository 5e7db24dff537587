// 内容を見る over the screen it was opened from (受信一覧, 新規作成 …): the files read as forms, the
// screen beneath kept as it was. Escape or 閉じる closes it and the focus goes back to the button.
import { useOverlay } from "../components/useOverlay";
import { useOpenedFiles } from "../backend/queries";
import type { FileSource } from "../bindings/FileSource";
import { Loaded, Loading } from "../components/Loaded";
import { ja } from "../i18n";
import { FormViewer } from "./FormViewer";

type Props = {
  source: FileSource;
  /** What is being looked at: 「山田 花子 サービス利用票（予定）…」 or the file's name. */
  heading: string;
  /** A sentence under the heading (received files stay 未). */
  note?: string;
  /** A sentence shown only once at least one file is shown as a form (送信一覧: 「控えを表示しています」). */
  noteWhenShown?: string;
  onClose: () => void;
};

export function FormViewerDialog({ source, heading, note, noteWhenShown, onClose }: Props) {
  const t = ja.forms.viewer;
  const opened = useOpenedFiles(source);
  const { close, onKeyDown: keys } = useOverlay(onClose);
  return (
    <div className="viewer-overlay" role="dialog" aria-modal="true" aria-label={`${t.heading}: ${heading}`} onKeyDown={keys}>
      <div className="viewer-bar">
        <h2>
          {t.heading}: {heading}
        </h2>
        <button ref={close} className="button" type="button" onClick={onClose}>
          {t.close}
        </button>
      </div>
      <div className="viewer-body">
        {(note ?? (noteWhenShown && opened.data && opened.data.files.length > 0 ? noteWhenShown : undefined)) && (
          <p className="alert warning" role="note">
            {note ?? noteWhenShown}
          </p>
        )}
        <p className="muted">{t.printHint}</p>
        <Loaded query={opened}>{(files) => (opened.isFetching && !opened.isFetched ? <Loading text={t.loading} /> : <FormViewer opened={files} />)}</Loaded>
      </div>
    </div>
  );
}
