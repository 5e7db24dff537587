// What a full-window overlay over a screen does with the keyboard (内容を見る, 送受信履歴's report):
// the focus starts on its close button and goes back where it was when the overlay closes, and
// Escape closes it.
import { useEffect, useRef, type KeyboardEvent } from "react";

export function useOverlay(onClose: () => void) {
  const close = useRef<HTMLButtonElement>(null);
  const returnTo = useRef<Element | null>(document.activeElement);
  useEffect(() => {
    close.current?.focus();
    const back = returnTo.current;
    return () => {
      if (back instanceof HTMLElement && back.isConnected) back.focus();
    };
  }, []);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      event.preventDefault();
      onClose();
    }
  };
  return { close, onKeyDown };
}
