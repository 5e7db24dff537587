// The band on every screen in 練習モード: that it is practice, where the sample files are (and a
// button that opens their folder), and the way back to the start (リセット) or out.
import type { PracticeView } from "../bindings/PracticeView";
import { ja } from "../i18n";
import { Sentence } from "../i18n/Sentence";
import { tour } from "../tutorial/targets";

type Props = { practice: PracticeView; busy: boolean; onReset: () => void; onLeave: () => void; onTutorial: () => void; onOpenSamples: () => void };

export function PracticeBanner({ practice, busy, onReset, onLeave, onTutorial, onOpenSamples }: Props) {
  return (
    <div className="practice-banner" role="note" aria-label={ja.practice.banner}>
      <div>
        <strong>{ja.practice.banner}</strong>
        <div className="practice-samples">
          <Sentence make={ja.practice.samplesAt} parts={[<code>{practice.sample_folder}</code>]} />
        </div>
      </div>
      <div className="toolbar">
        {/* The file manager at the samples, to drag them from: trainees need not find the folder. */}
        <button className="button secondary" type="button" disabled={busy} onClick={onOpenSamples} {...tour("practice-samples")}>
          {ja.practice.openSamples}
        </button>
        <button className="button secondary" type="button" disabled={busy} onClick={onTutorial}>
          {ja.tutorial.open}
        </button>
        <button className="button secondary" type="button" disabled={busy} onClick={onReset}>
          {ja.practice.reset}
        </button>
        <button className="button secondary" type="button" disabled={busy} onClick={onLeave}>
          {ja.practice.leave}
        </button>
      </div>
    </div>
  );
}
