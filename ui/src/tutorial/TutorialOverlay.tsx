// The guided tutorial over the real screens (練習モード): driver.js highlights the step's element with
// its explanation; this panel holds 戻る, 次へ, スキップ, the chapter choice and the progress. Steps
// that wait for the trainee's action move on when the screens report it (events.ts), or at once
// when it is done already. The progress is the app's (useTutorial): 閉じる keeps it, and opening the
// tutorial again resumes the step. The panel keeps out of the way of what a step points at: it sits
// at the bottom, or at the top when the step's element is in the lower half of the window.
//
// Focus: when a step opens, the keyboard focus goes to the panel's heading (which reads out the
// step), except at a step whose target is typed in, where it goes to the field to type in; a
// trainee who has moved it before the highlight is drawn keeps it there. On closing it goes back
// where it was. The panel is not modal and keeps nobody in: Tab leaves it, and leaves driver.js's
// highlight too.
import { driver, type Driver } from "driver.js";
import "driver.js/dist/driver.css";
import { useEffect, useReducer, useRef, useState, type Dispatch } from "react";
import { ja } from "../i18n";
import chapterData from "./chapters.json";
import { START, canGoNext, currentStep, progress, tutorialReducer, type Chapter, type TutorialAction, type TutorialState } from "./engine";
import { isHolding, onTourEvent } from "./events";
import type { TourEvent } from "./targets";
import { TYPING_TARGETS } from "./targets";
import { whenDrawn } from "./whenDrawn";

const chapters = chapterData as Chapter[];

/** The first empty field of a form (the password when the ID is filled in), or its first field. */
function whereTypingStarts(form: Element): HTMLElement | null {
  const fields = [...form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input:not([type="checkbox"]):not(:disabled), textarea:not(:disabled)')];
  return fields.find((field) => field.value === "") ?? fields[0] ?? null;
}
const reducer = (state: TutorialState, action: TutorialAction) => tutorialReducer(chapters, state, action);

/** The tutorial's progress, kept by the app while practice runs (closing the panel keeps it). */
export function useTutorial(): [TutorialState, Dispatch<TutorialAction>] {
  return useReducer(reducer, START);
}

/** Where the panel docks: away from the step's element. */
type Dock = "bottom" | "top";

function dockFor(element: Element | undefined): Dock {
  if (!element) return "bottom";
  const box = element.getBoundingClientRect();
  return box.top + box.height / 2 > window.innerHeight / 2 ? "top" : "bottom";
}

type Props = { state: TutorialState; dispatch: Dispatch<TutorialAction>; onClose: () => void };

export function TutorialOverlay({ state, dispatch, onClose }: Props) {
  const highlighter = useRef<Driver | null>(null);
  const [dock, setDock] = useState<Dock>("bottom");
  const heading = useRef<HTMLHeadingElement>(null);
  const step = currentStep(chapters, state);
  // Where the focus was when the tutorial opened (its button on the 練習モード band).
  const [openedFrom] = useState(() => document.activeElement);

  useEffect(
    () => () => {
      if (openedFrom instanceof HTMLElement && openedFrom.isConnected) openedFrom.focus();
    },
    [openedFrom],
  );

  useEffect(() => onTourEvent((event) => dispatch({ type: "event", event })), [dispatch]);

  // A step whose action is already done (the tab is open, the files are in) counts as done.
  const waitingFor = step?.waitFor as TourEvent | undefined;
  useEffect(() => {
    if (waitingFor && isHolding(waitingFor)) dispatch({ type: "event", event: waitingFor });
  }, [waitingFor, state, dispatch]);

  useEffect(() => {
    // driver.js keeps Tab inside its popover and the highlighted element (a window listener it adds
    // on its first highlight). This one, added before it, lets Tab go on as the browser moves it.
    const letTabThrough = (event: KeyboardEvent) => {
      if (event.key === "Tab") event.stopImmediatePropagation();
    };
    window.addEventListener("keydown", letTabThrough);
    highlighter.current = driver({
      allowClose: false,
      allowKeyboardControl: false,
      showButtons: [],
      overlayOpacity: 0.35,
      // The trainee works in the highlighted element; a click beside it does nothing.
      overlayClickBehavior: () => undefined,
      popoverClass: "tutorial-popover",
    });
    return () => {
      highlighter.current?.destroy();
      window.removeEventListener("keydown", letTabThrough);
    };
  }, []);

  useEffect(() => {
    const current = highlighter.current;
    if (!current) return;
    if (!step) {
      current.destroy();
      heading.current?.focus();
      return;
    }
    const typing = TYPING_TARGETS.includes(step.target);
    const selector = `[data-tour="${step.target}"]`;
    // The step is read out at once, even while its element is still being drawn.
    if (!typing) heading.current?.focus();
    // The page may still change after the highlight (a send's result clears the files above the
    // button bar, a list fills in): the highlight follows its element and the panel docks away from
    // where the element is now, not where it was.
    let layout: ResizeObserver | null = null;
    const follow = () => {
      current.refresh();
      setDock(dockFor(document.querySelector(selector) ?? undefined));
    };
    // Once the screens have drawn what the step points at: a list that is still loading draws its
    // table later, and a highlight before that would point at nothing.
    const cancel = whenDrawn(selector, () => {
      if (typeof ResizeObserver !== "undefined") {
        layout = new ResizeObserver(follow);
        layout.observe(document.body);
      }
      current.highlight({
        element: selector,
        popover: {
          title: step.title,
          description: step.text,
          // driver.js moves the focus into its popover or the element right after this; put it
          // back at once, before the trainee's next key or click, to where the step wants it, or
          // to wherever the trainee has moved it meanwhile.
          onPopoverRender: () => {
            const kept = document.activeElement;
            queueMicrotask(() => {
              const element = document.querySelector(selector);
              if (typing) {
                if (kept instanceof HTMLElement && element?.contains(kept)) kept.focus();
                else if (element) whereTypingStarts(element)?.focus();
              } else if (kept instanceof HTMLElement && kept !== document.body && kept.isConnected) kept.focus();
              else heading.current?.focus();
            });
          },
        },
        onHighlighted: (element) => setDock(dockFor(element)),
      });
    });
    return () => {
      cancel();
      layout?.disconnect();
    };
  }, [step]);

  const at = progress(chapters, state);
  return (
    <div className={`tutorial-panel dock-${dock}`} role="dialog" aria-labelledby="tutorial-heading">
      <div className="toolbar">
        <h2 id="tutorial-heading" ref={heading} tabIndex={-1} aria-describedby={step ? "tutorial-step" : undefined}>
          {ja.tutorial.heading}
        </h2>
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
      {step && (
        <div id="tutorial-step">
          {/* The popover's words, for screen readers, which do not find it beside the target. */}
          <p className="visually-hidden">
            <span>{step.title}</span> <span>{step.text}</span>
          </p>
          <p className="tutorial-step">{step.waitFor ? ja.tutorial.waiting : ja.tutorial.readOn}</p>
        </div>
      )}
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
