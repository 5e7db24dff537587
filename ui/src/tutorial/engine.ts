// The tutorial's step engine, kept apart from the overlay so it can be tested alone: which chapter
// and step is showing, what moves it on (次へ, the trainee's own action, スキップ), and the checks
// that a chapter file only names targets and events the screens have.

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
  const problems: string[] = [];
  if (!Array.isArray(data) || data.length === 0) return ["章の一覧（配列）がありません。"];
  const ids = new Set<string>();
  data.forEach((chapter: unknown, c) => {
    const where = `第${c + 1}章`;
    if (typeof chapter !== "object" || chapter === null) {
      problems.push(`${where}: 章の形式が正しくありません。`);
      return;
    }
    const { id, title, steps } = chapter as Record<string, unknown>;
    if (typeof id !== "string" || id === "") problems.push(`${where}: id がありません。`);
    else if (ids.has(id)) problems.push(`${where}: id "${id}" が重複しています。`);
    else ids.add(id);
    if (typeof title !== "string" || title === "") problems.push(`${where}: title がありません。`);
    if (!Array.isArray(steps) || steps.length === 0) {
      problems.push(`${where}: steps（手順）がありません。`);
      return;
    }
    steps.forEach((step: unknown, s) => {
      const at = `${where} 手順${s + 1}`;
      if (typeof step !== "object" || step === null) {
        problems.push(`${at}: 手順の形式が正しくありません。`);
        return;
      }
      const { target, title: stepTitle, text, waitFor, ...rest } = step as Record<string, unknown>;
      if (typeof target !== "string" || !targets.includes(target)) problems.push(`${at}: 対象 "${String(target)}" はどの画面にもありません。`);
      if (typeof stepTitle !== "string" || stepTitle === "") problems.push(`${at}: title がありません。`);
      if (typeof text !== "string" || text === "") problems.push(`${at}: text（説明）がありません。`);
      if (waitFor !== undefined && (typeof waitFor !== "string" || !events.includes(waitFor))) problems.push(`${at}: 待つ操作 "${String(waitFor)}" はありません。`);
      for (const key of Object.keys(rest)) problems.push(`${at}: 知らない項目 "${key}" があります。`);
    });
  });
  return problems;
}
