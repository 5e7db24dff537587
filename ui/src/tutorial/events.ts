// What the screens tell the tutorial: the trainee's own actions (a login stage done, a tab opened,
// files dropped, a send made…). Screens call tourEvent; the overlay listens while it is open.
import type { TourEvent } from "./targets";

type Listener = (event: TourEvent) => void;
const listeners = new Set<Listener>();

export function tourEvent(event: TourEvent) {
  listeners.forEach((listener) => listener(event));
}

/** Listens until the returned function is called. */
export function onTourEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
