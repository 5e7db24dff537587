// Waiting for the screens to draw what a tutorial step points at.

/** How long a step waits for its element before it explains without pointing (a screen that failed). */
const DRAWN_WITHIN_MS = 10_000;

/**
 * Calls `then` once an element matching `selector` is in the page (now, or when the screens draw it),
 * or after DRAWN_WITHIN_MS in any case; answers the function that cancels the wait.
 */
export function whenDrawn(selector: string, then: () => void): () => void {
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    observer.disconnect();
    window.clearTimeout(timeout);
    then();
  };
  const observer = new MutationObserver(() => {
    if (document.querySelector(selector)) finish();
  });
  const timeout = window.setTimeout(finish, DRAWN_WITHIN_MS);
  // After the current render has been committed, even when the element is already there.
  const first = window.setTimeout(() => {
    if (document.querySelector(selector)) finish();
    else observer.observe(document.body, { childList: true, subtree: true });
  }, 50);
  return () => {
    done = true;
    observer.disconnect();
    window.clearTimeout(timeout);
    window.clearTimeout(first);
  };
}
