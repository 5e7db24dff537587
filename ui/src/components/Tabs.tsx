// The office's screens under tabs, as the WAI-ARIA tabs pattern has them: a tablist of buttons, one
// tabpanel labelled by the selected tab, one tab stop for the whole list (the selected tab), and
// ←/→/Home/End to move between tabs. Activation is manual (Enter or Space, or a click): opening a tab
// replaces the screen, so passing over 新規作成 with the arrow keys must not drop what is being
// written there, nor ask the relay for every screen on the way.
import type { KeyboardEvent, ReactNode } from "react";

const PANEL = "tabpanel";
const tabId = (tab: string) => `tab-${tab}`;

type Props<T extends string> = {
  tabs: readonly T[];
  selected: T;
  /** What the list is, for screen readers. */
  label: string;
  tabLabel: (tab: T) => ReactNode;
  onOpen: (tab: T) => void;
  /** More attributes of a tab's button (the tutorial's marks). */
  tabAttributes?: (tab: T) => object;
  listAttributes?: object;
  /** The selected tab's screen. */
  children: ReactNode;
};

/** Where each key moves the focus, from the tab at `index` of `count`. */
function target(key: string, index: number, count: number): number | null {
  switch (key) {
    case "ArrowRight":
      return (index + 1) % count;
    case "ArrowLeft":
      return (index - 1 + count) % count;
    case "Home":
      return 0;
    case "End":
      return count - 1;
    default:
      return null;
  }
}

export function Tabs<T extends string>({ tabs, selected, label, tabLabel, onOpen, tabAttributes, listAttributes, children }: Props<T>) {
  function moveFocus(event: KeyboardEvent<HTMLButtonElement>) {
    const buttons = [...(event.currentTarget.parentElement?.querySelectorAll<HTMLButtonElement>('[role="tab"]') ?? [])];
    const next = target(event.key, buttons.indexOf(event.currentTarget), buttons.length);
    if (next === null) return;
    event.preventDefault();
    buttons[next].focus();
  }

  return (
    <>
      <div className="tabs" role="tablist" aria-label={label} {...listAttributes}>
        {tabs.map((tab) => (
          <button
            key={tab}
            id={tabId(tab)}
            type="button"
            role="tab"
            aria-selected={tab === selected}
            aria-controls={PANEL}
            tabIndex={tab === selected ? 0 : -1}
            onKeyDown={moveFocus}
            onClick={() => onOpen(tab)}
            {...tabAttributes?.(tab)}
          >
            {tabLabel(tab)}
          </button>
        ))}
      </div>
      <main id="content" tabIndex={-1}>
        {/* A tab stop of its own: the トップページ has nothing else to focus. */}
        <div role="tabpanel" id={PANEL} aria-labelledby={tabId(selected)} tabIndex={0}>
          {children}
        </div>
      </main>
    </>
  );
}
