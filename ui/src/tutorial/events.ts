// What the screens tell the tutorial: the trainee's own actions (a login stage done, a tab opened,
// files dropped, a send made…), and which of them hold now (the 新規作成 tab is open, files are in
// it): a step whose action is already done counts as done. Screens call tourEvent and
// useTourHold; the overlay listens while it is open.
import { useEffect } from "react";
import type { TourEvent } from "./targets";

type Listener = (event: TourEvent) => void;
const listeners = new Set<Listener>();
/** How many screens hold each event now (a login stage is held by the form, then by the app). */
const holding = new Map<TourEvent, number>();

export function tourEvent(event: TourEvent) {
  listeners.forEach((listener) => listener(event));
}

/** Listens until the returned function is called. */
export function onTourEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Whether what `event` reports is the case right now. */
export function isHolding(event: TourEvent): boolean {
  return (holding.get(event) ?? 0) > 0;
}

/**
 * While a screen shows that `event`'s action is done (`holds`), it counts as done: a step waiting
 * for it moves on when it comes up. Becoming true is reported like the action itself.
 */
export function useTourHold(event: TourEvent, holds: boolean) {
  useEffect(() => {
    if (!holds) return;
    holding.set(event, (holding.get(event) ?? 0) + 1);
    tourEvent(event);
    return () => {
      holding.set(event, (holding.get(event) ?? 1) - 1);
    };
  }, [event, holds]);
}
