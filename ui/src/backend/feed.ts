// 受信通知 on the screens: the office's feed as the Rust side tells it (the 受信一覧 badge, the
// connection's state) and each pass of 自動取得. What an update changes is read again at once, so
// 受信一覧 and the トップページ show an arrival without a click.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { AutoFetchView } from "../bindings/AutoFetchView";
import type { FeedView } from "../bindings/FeedView";
import { useBackend } from "./BackendContext";
import { queryKeys } from "./queries";

export type Feed = { feed: FeedView | null; autoFetch: AutoFetchView | null };

export function useFeed(loggedIn: boolean): Feed {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const [feed, setFeed] = useState<FeedView | null>(null);
  const [autoFetch, setAutoFetch] = useState<AutoFetchView | null>(null);

  useEffect(() => {
    if (!loggedIn) return;
    let last: number | null = null;
    const reread = () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.messages });
      void queryClient.invalidateQueries({ queryKey: queryKeys.home });
      void queryClient.invalidateQueries({ queryKey: queryKeys.history });
    };
    const take = (view: FeedView) => {
      setFeed(view);
      // News, or a count that moved (another PC of the office took files): the lists are stale.
      const moved = last !== null && view.unfetched_files !== null && view.unfetched_files !== last;
      if (view.arrived.length > 0 || view.taken.length > 0 || moved) reread();
      if (view.unfetched_files !== null) last = view.unfetched_files;
    };
    let stopped = false;
    const stops: (() => void)[] = [];
    const keep = (stop: () => void) => (stopped ? stop() : stops.push(stop));
    void backend.onFeed(take).then(keep).catch(() => undefined);
    void backend
      .onAutoFetch((view) => {
        setAutoFetch(view);
        if (view.saved > 0) reread();
      })
      .then(keep)
      .catch(() => undefined);
    void backend
      .feedStatus()
      .then((view) => {
        if (view && !stopped) take(view);
      })
      .catch(() => undefined);
    return () => {
      stopped = true;
      stops.forEach((stop) => stop());
      // Nothing of this login is shown to the next.
      setFeed(null);
      setAutoFetch(null);
    };
  }, [loggedIn, backend, queryClient]);

  return { feed, autoFetch };
}
