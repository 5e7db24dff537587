// The guided tutorial over the real screens (練習モード): driver.js highlights the step's element with
// its explanation; this panel holds 戻る, 次へ, スキップ, the chapter choice and the progress. Steps
// that wait for the trainee's action move on when the screens report it (events.ts).
import { driver, type Driver } from "driver.js";
import "driver.js/dist/driver.css";
import { useEffect, useReducer, useRef } from "react";
import { ja } from "../i18n";
import chapterData from "./chapters.json";
import { START, canGoNext, currentStep, progress, tutorialReducer, type Chapter, type TutorialAction, type TutorialState } from "./engine";
import { onTourEvent } from "./events";

const chapters = chapterData as Chapter[];
const reducer = (state: TutorialState, action: TutorialAction) => tutorialReducer(chapters, state, action);

export function TutorialOverlay({ onClose }: { onClose: () => void }) {
  const [state, dispatch] = useReducer(reducer, START);
  const highlighter = useRef<Driver | null>(null);
  const step = currentStep(chapters, state);

  useEffect(() => onTourEvent((event) => dispatch({ type: "event", event })), []);

  useEffect(() => {
    highlighter.current = driver({
      allowClose: false,
      allowKeyboardControl: false,
      showButtons: [],
      overlayOpacity: 0.35,
      // The trainee works in the highlighted element; a click beside it does nothing.
      overlayClickBehavior: () => undefined,
      popoverClass: "tutorial-popover",
    });
    return () => highlighter.current?.destroy();
  }, []);

  useEffect(() => {
    const current = highlighter.current;
    if (!current) return;
    if (!step) {
      current.destroy();
      return;
    }
    // After the screens have drawn what the step points at.
    const timer = window.setTimeout(() => {
      current.highlight({ element: `[data-tour="${step.target}"]`, popover: { title: step.title, description: step.text } });
    }, 50);
    return () => window.clearTimeout(timer);
  }, [step]);

  const at = progress(chapters, state);
  return (
    <div className="tutorial-panel" role="dialog" aria-label={ja.tutorial.heading}>
      <div className="toolbar">
        <strong>{ja.tutorial.heading}</strong>
        <label>
          {ja.tutorial.chapter}{" "}
          <select value={state.chapter} onChange={(e) => dispatch({ type: "chapter", chapter: Number(e.target.value) })}>
            {chapters.map((chapter, index) => (
              <option key={chapter.id} value={index}>
                {chapter.title}
              </option>
            ))}
          </select>
        </label>
        <span className="muted" role="status">
          {state.finished ? ja.tutorial.finished : ja.tutorial.progress(at.step, at.steps, at.done, at.total)}
        </span>
      </div>
      {step && <p className="tutorial-step">{step.waitFor ? ja.tutorial.waiting : ja.tutorial.readOn}</p>}
      <div className="toolbar">
        <button className="button secondary" type="button" onClick={() => dispatch({ type: "back" })} disabled={state.finished || (state.chapter === 0 && state.step === 0)}>
          {ja.tutorial.back}
        </button>
        <button className="button" type="button" onClick={() => dispatch({ type: "next" })} disabled={!canGoNext(chapters, state)}>
          {ja.tutorial.next}
        </button>
        <button className="button secondary" type="button" onClick={() => dispatch({ type: "skip" })} disabled={state.finished}>
          {ja.tutorial.skip}
        </button>
        <button className="button secondary" type="button" onClick={onClose}>
          {ja.tutorial.close}
        </button>
      </div>
    </div>
  );
}
