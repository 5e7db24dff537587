// What a tutorial step may point at: elements of the screens marked with `tour(...)`. A step naming
// anything else is refused by validateChapters (and by the test of the shipped chapters).
/** The tabs a step can point at, and whose opening a step can wait for (設定 is not in the tour). */
const TOUR_TABS = ["tab-top", "tab-inbox", "tab-outbox", "tab-compose", "tab-drafts", "tab-bulk"] as const;

export const TOUR_TARGETS = [
  "login-form",
  "practice-ids",
  "tabs",
  ...TOUR_TABS,
  "notices",
  "licence",
  "fetch-button",
  "inbox-table",
  "compose-files",
  "compose-destination",
  "compose-message",
  "compose-send",
  "compose-result",
  "compose-save-draft",
  "drafts-table",
  "bulk-files",
  "bulk-send",
  "bulk-results",
  "practice-samples",
] as const;

export type TourTarget = (typeof TOUR_TARGETS)[number];

/**
 * Targets the trainee types in: a step pointing at one leaves the keyboard focus there (driver.js
 * puts it in the target's first field) instead of moving it to the tutorial panel.
 */
export const TYPING_TARGETS: readonly string[] = ["login-form", "compose-destination", "compose-message"] satisfies TourTarget[];

/** Marks an element as a tutorial target: `<button {...tour("fetch-button")}>`. */
export function tour(target: TourTarget) {
  return { "data-tour": target };
}

/** What the trainee does that a step can wait for. */
export const TOUR_EVENTS = [
  "login-stage1",
  "logged-in",
  ...TOUR_TABS,
  "files-dropped",
  "destination-confirmed",
  "sent",
  "bulk-planned",
  "bulk-sent",
  "fetched",
  "draft-saved",
] as const;

export type TourEvent = (typeof TOUR_EVENTS)[number];
