import { describe, expect, it } from "vitest";
import chapters from "./chapters.json";
import { START, canGoNext, progress, tutorialReducer, validateChapters, type Chapter, type TutorialAction, type TutorialState } from "./engine";
import { TOUR_EVENTS, TOUR_TARGETS } from "./targets";

const small: Chapter[] = [
  { id: "a", title: "A", steps: [{ target: "tabs", title: "1", text: "t" }, { target: "login-form", title: "2", text: "t", waitFor: "logged-in" }] },
  { id: "b", title: "B", steps: [{ target: "notices", title: "3", text: "t" }] },
];

const run = (state: TutorialState, ...actions: TutorialAction[]) => actions.reduce((s, a) => tutorialReducer(small, s, a), state);

describe("the tutorial's step engine", () => {
  it("moves on with 次へ, but waits for the trainee's action where a step says so", () => {
    const second = run(START, { type: "next" });
    expect(second).toEqual({ chapter: 0, step: 1, finished: false });
    expect(canGoNext(small, second)).toBe(false);
    expect(run(second, { type: "next" }), "次へ does not pass an awaited action").toEqual(second);
    expect(run(second, { type: "event", event: "fetched" }), "another action does not either").toEqual(second);
    expect(run(second, { type: "event", event: "logged-in" })).toEqual({ chapter: 1, step: 0, finished: false });
  });

  it("goes back across chapters, skips an awaited step, and finishes after the last", () => {
    const inB = run(START, { type: "chapter", chapter: 1 });
    expect(run(inB, { type: "back" })).toEqual({ chapter: 0, step: 1, finished: false });
    expect(run(START, { type: "back" }), "nothing before the first step").toEqual(START);
    expect(run(START, { type: "next" }, { type: "skip" })).toEqual({ chapter: 1, step: 0, finished: false });
    const finished = run(inB, { type: "next" });
    expect(finished.finished).toBe(true);
    expect(run(finished, { type: "skip" }, { type: "back" })).toEqual(finished);
    expect(run(finished, { type: "restart" })).toEqual(START);
  });

  it("selects a chapter and ignores one that does not exist", () => {
    expect(run(START, { type: "chapter", chapter: 1 })).toEqual({ chapter: 1, step: 0, finished: false });
    expect(run(START, { type: "chapter", chapter: 5 })).toEqual(START);
  });

  it("counts progress in the chapter and overall", () => {
    expect(progress(small, run(START, { type: "next" }))).toEqual({ step: 2, steps: 2, done: 1, total: 3 });
    expect(progress(small, run(START, { type: "chapter", chapter: 1 }, { type: "next" })).done).toBe(3);
  });
});

describe("chapter files", () => {
  it("the shipped chapters follow the seed's five chapters and name only real targets and events", () => {
    expect(validateChapters(chapters, TOUR_TARGETS, TOUR_EVENTS)).toEqual([]);
    expect(chapters.map((c) => c.title)).toEqual(["1 ログイン", "2 基本構成", "3 データ送信", "4 データ受信", "5 下書き作成"]);
  });

  it("refuses a step naming a target no screen has, an unknown event, missing text and unknown keys", () => {
    const bad = [
      { id: "x", title: "X", steps: [{ target: "nowhere", title: "t", text: "" , waitFor: "dance", colour: "red" }] },
      { id: "x", title: "", steps: [] },
    ];
    expect(validateChapters(bad, TOUR_TARGETS, TOUR_EVENTS)).toEqual([
      '第1章 手順1: 対象 "nowhere" はどの画面にもありません。',
      "第1章 手順1: text（説明）がありません。",
      '第1章 手順1: 待つ操作 "dance" はありません。',
      '第1章 手順1: 知らない項目 "colour" があります。',
      '第2章: id "x" が重複しています。',
      "第2章: title がありません。",
      "第2章: steps（手順）がありません。",
    ]);
    expect(validateChapters({}, TOUR_TARGETS, TOUR_EVENTS)).toEqual(["章の一覧（配列）がありません。"]);
  });

  it("every target the steps may name is marked on some screen", () => {
    const sources = import.meta.glob(["../**/*.tsx", "!../**/*.test.tsx"], { query: "?raw", import: "default", eager: true }) as Record<string, string>;
    const marked = new Set(Object.values(sources).flatMap((source) => [...source.matchAll(/tour\("([a-z-]+)"\)/g)].map((m) => m[1])));
    expect(TOUR_TARGETS.filter((target) => !marked.has(target))).toEqual([]);
  });
});
