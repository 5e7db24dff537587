// A question the app asks before what cannot be undone (送信, 削除, dropping work), in the page
// rather than the browser's confirm(): themed, read out as an alert dialog, and the same on every
// platform. Modal: the keyboard stays in it (Tab goes round its buttons), Escape is the cancel
// button, and the focus goes back where it was when it closes.
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from "react";

export type DialogAction = {
  label: string;
  onClick: () => void;
  /** The main action (drawn as the primary button). */
  primary?: boolean;
  disabled?: boolean;
};

type Props = {
  heading: string;
  children: ReactNode;
  actions: DialogAction[];
  onCancel: () => void;
  /** Which action has the focus first: the safe one for what cannot be undone. */
  initialFocus?: number;
};

export function ConfirmDialog({ heading, children, actions, onCancel, initialFocus = 0 }: Props) {
  const id = useId();
  const dialog = useRef<HTMLDivElement>(null);
  const returnTo = useRef<Element | null>(document.activeElement);

  useEffect(() => {
    const buttons = dialog.current?.querySelectorAll<HTMLButtonElement>("button");
    buttons?.[initialFocus]?.focus();
    const back = returnTo.current;
    return () => {
      if (back instanceof HTMLElement && back.isConnected) back.focus();
    };
  }, [initialFocus, returnTo]);

  function keys(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === "Escape") {
      event.preventDefault();
      onCancel();
      return;
    }
    if (event.key !== "Tab") return;
    const focusable = [...(dialog.current?.querySelectorAll<HTMLElement>("button:not(:disabled), [href], input, textarea, select") ?? [])];
    if (focusable.length === 0) return;
    const index = focusable.indexOf(document.activeElement as HTMLElement);
    const next = event.shiftKey ? (index <= 0 ? focusable.length - 1 : index - 1) : (index + 1) % focusable.length;
    event.preventDefault();
    focusable[next].focus();
  }

  return (
    <div className="dialog-backdrop">
      <div
        ref={dialog}
        className="dialog panel"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={`${id}-heading`}
        aria-describedby={`${id}-body`}
        onKeyDown={keys}
      >
        <h2 id={`${id}-heading`}>{heading}</h2>
        <div id={`${id}-body`}>{children}</div>
        <div className="toolbar dialog-actions">
          {actions.map((action) => (
            <button
              key={action.label}
              type="button"
              className={action.primary ? "button" : "button secondary"}
              disabled={action.disabled}
              onClick={action.onClick}
            >
              {action.label}
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}
