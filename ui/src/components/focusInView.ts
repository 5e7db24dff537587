// A field the keyboard moves to is scrolled clear of the sticky tabs at the top and of the sticky
// button bar at the bottom. The stylesheet's scroll-padding does this in some engines, but WebKit
// (the Linux and macOS web view) reveals a focused field only when it is outside the window, so a
// メッセージ field just above the window's edge stayed under the 送信 bar; this works in every engine.

/** Space left between the field and the bar it was under, in CSS pixels. */
const CLEARANCE = 8;

/** The sticky bar a field must stay clear of: the tabs above, the screen's button bar below. */
function stickyBounds(field: Element): { top: number; bottom: number } {
  const tabs = document.querySelector("[role=tablist]");
  const panel = field.closest("[role=tabpanel]");
  const bar = field.closest(".actions") ? null : panel?.querySelector(".actions");
  const sticky = (element: Element | null | undefined) => element && getComputedStyle(element).position === "sticky";
  return {
    top: sticky(tabs) ? tabs!.getBoundingClientRect().bottom : 0,
    bottom: sticky(bar) ? bar!.getBoundingClientRect().top : window.innerHeight,
  };
}

/** Whether the focus came from the keyboard (a click focuses what is already in view). */
function byKeyboard(field: Element): boolean {
  try {
    return field.matches(":focus-visible");
  } catch {
    // An engine without :focus-visible: treat every focus as the keyboard's.
    return true;
  }
}

/** Scrolls the window by as much as it takes for the focused field to be clear of both bars. */
export function keepClearOfStickyBars(field: Element) {
  // The screen itself takes the focus on a click on its text in Chromium (WebView2); moving it
  // would make every such click jump the page.
  if (field === document.body || field.getAttribute("role") === "tabpanel" || !field.closest("[role=tabpanel]")) return;
  if (!byKeyboard(field)) return;
  const box = field.getBoundingClientRect();
  const { top, bottom } = stickyBounds(field);
  // A field taller than the room between the bars is left as the engine placed it.
  if (box.height >= bottom - top) return;
  if (box.bottom > bottom) window.scrollBy(0, box.bottom - bottom + CLEARANCE);
  else if (box.top < top) window.scrollBy(0, box.top - top - CLEARANCE);
}

/** Keeps every focused field of the page clear of the sticky bars, until the returned function is called. */
export function keepFocusInView(): () => void {
  const onFocus = (event: FocusEvent) => {
    if (event.target instanceof Element) keepClearOfStickyBars(event.target);
  };
  document.addEventListener("focusin", onFocus);
  return () => document.removeEventListener("focusin", onFocus);
}
