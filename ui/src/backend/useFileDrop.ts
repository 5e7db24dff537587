// Files dropped on the window, for the screen that takes them (新規作成, 一括送信). The window's
// drop events are subscribed to once per screen, not again whenever the screen's handler changes
// (a drop during the re-subscription would be lost), and a screen left before the subscription
// was made does not keep receiving drops. `ready` says when drops are taken: the dropzone shows it
// as `data-drop-ready`, which the end-to-end tests wait for before dropping.
import { useEffect, useRef, useState } from "react";
import { useBackend } from "./BackendContext";

export function useFileDrop(onDrop: (paths: string[]) => void): { ready: boolean } {
  const backend = useBackend();
  const latest = useRef(onDrop);
  useEffect(() => {
    latest.current = onDrop;
  }, [onDrop]);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let left = false;
    let stop: (() => void) | undefined;
    void backend
      .onFileDrop((paths) => latest.current(paths))
      .then((unlisten) => {
        if (left) unlisten();
        else {
          stop = unlisten;
          setReady(true);
        }
      });
    return () => {
      left = true;
      stop?.();
      setReady(false);
    };
  }, [backend]);
  return { ready };
}
