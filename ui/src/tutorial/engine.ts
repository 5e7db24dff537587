// The tutorial's step engine, kept apart from the overlay so it can be tested alone: which chapter
// and step is showing, what moves it on (次へ, the trainee's own action, スキップ), and the checks
// that a chapter file only names targets and events the screens have.
import { ja } from "../i18n";

export type Step = {
  /** The element to highlight (a TOUR_TARGETS name). */
  target: string;
  title: string;
  text: string;
  /** The trainee's action that completes the step (a TOUR_EVENTS name); without it, 次へ does. */
  waitFor?: string;
};

export type Chapter = { id: string; title: string; steps: Step[] };

export type TutorialState = { chapter: number; step: number; finished: boolean };

export type TutorialAction =
  | { type: "next" }
  | { type: "back" }
  | { type: "skip" }
  | { type: "chapter"; chapter: number }
  | { type: "event"; event: string }
  | { type: "restart" };

export const START: TutorialState = { chapter: 0, step: 0, finished: false };

export function currentStep(chapters: Chapter[], state: TutorialState): Step | null {
  return state.finished ? null : (chapters[state.chapter]?.steps[state.step] ?? null);
}

/** 次へ is offered only where no action of the trainee's is awaited. */
export function canGoNext(chapters: Chapter[], state: TutorialState): boolean {
  const step = currentStep(chapters, state);
  return step !== null && step.waitFor === undefined;
}

function forward(chapters: Chapter[], state: TutorialState): TutorialState {
  if (state.step + 1 < chapters[state.chapter].steps.length) return { ...state, step: state.step + 1 };
  if (state.chapter + 1 < chapters.length) return { chapter: state.chapter + 1, step: 0, finished: false };
  return { ...state, finished: true };
}

export function tutorialReducer(chapters: Chapter[], state: TutorialState, action: TutorialAction): TutorialState {
  switch (action.type) {
    case "next":
      return canGoNext(chapters, state) ? forward(chapters, state) : state;
    case "skip":
      return state.finished ? state : forward(chapters, state);
    case "event":
      return currentStep(chapters, state)?.waitFor === action.event ? forward(chapters, state) : state;
    case "back":
      if (state.finished) return state;
      if (state.step > 0) return { ...state, step: state.step - 1 };
      if (state.chapter > 0) return { chapter: state.chapter - 1, step: chapters[state.chapter - 1].steps.length - 1, finished: false };
      return state;
    case "chapter":
      return action.chapter >= 0 && action.chapter < chapters.length ? { chapter: action.chapter, step: 0, finished: false } : state;
    case "restart":
      return START;
  }
}

/** "3 / 8" within the chapter, and how many steps of the whole tutorial are behind. */
export function progress(chapters: Chapter[], state: TutorialState) {
  const total = chapters.reduce((sum, c) => sum + c.steps.length, 0);
  const before = chapters.slice(0, state.chapter).reduce((sum, c) => sum + c.steps.length, 0);
  return {
    step: state.step + 1,
    steps: chapters[state.chapter]?.steps.length ?? 0,
    done: state.finished ? total : before + state.step,
    total,
  };
}

/**
 * Checks a chapter file: its shape, and that every step names a target the screens have and an
 * event they send. Answers the problems in Japanese (empty when the file is good), so a trainer
 * editing it knows what to fix.
 */
export function validateChapters(data: unknown, targets: readonly string[], events: readonly string[]): string[] {
  const says = ja.chapterCheck;
  const problems: string[] = [];
  if (!Array.isArray(data) || data.length === 0) return [says.noChapters];
  const ids = new Set<string>();
  data.forEach((chapter: unknown, index) => {
    const c = index + 1;
    if (typeof chapter !== "object" || chapter === null) {
      problems.push(says.chapterShape(c));
      return;
    }
    const { id, title, steps } = chapter as Record<string, unknown>;
    if (typeof id !== "string" || id === "") problems.push(says.chapterNoId(c));
    else if (ids.has(id)) problems.push(says.chapterDuplicateId(c, id));
    else ids.add(id);
    if (typeof title !== "string" || title === "") problems.push(says.chapterNoTitle(c));
    if (!Array.isArray(steps) || steps.length === 0) {
      problems.push(says.chapterNoSteps(c));
      return;
    }
    steps.forEach((step: unknown, stepIndex) => {
      const s = stepIndex + 1;
      if (typeof step !== "object" || step === null) {
        problems.push(says.stepShape(c, s));
        return;
      }
      const { target, title: stepTitle, text, waitFor, ...rest } = step as Record<string, unknown>;
      if (typeof target !== "string" || !targets.includes(target)) problems.push(says.stepUnknownTarget(c, s, String(target)));
      if (typeof stepTitle !== "string" || stepTitle === "") problems.push(says.stepNoTitle(c, s));
      if (typeof text !== "string" || text === "") problems.push(says.stepNoText(c, s));
      if (waitFor !== undefined && (typeof waitFor !== "string" || !events.includes(waitFor))) problems.push(says.stepUnknownEvent(c, s, String(waitFor)));
      for (const key of Object.keys(rest)) problems.push(says.stepUnknownKey(c, s, key));
    });
  });
  return problems;
}
