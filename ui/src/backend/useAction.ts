// What a user's action (send, save, delete, import…) is doing, the same way on every screen: while it
// runs, what it answered, and why it failed (an ApiError). A TanStack Query mutation: when the user
// starts the action again before the first one has answered, the screen follows the newer one.
import { useMutation, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useCallback } from "react";
import type { ApiError } from "../bindings/ApiError";
import { ask } from "./queries";

export type Action<T> = {
  /** Starts `work`; its answer becomes `result`, its failure `error`. */
  run: (work: () => Promise<T>) => void;
  working: boolean;
  result: T | undefined;
  error: ApiError | null;
  /** Back to before the action (its answer or failure no longer shown). */
  reset: () => void;
};

/** `rereads`: what is read again after each action, whether it succeeded or not (it may have changed it). */
export function useAction<T = string | null>({ rereads = [] }: { rereads?: QueryKey[] } = {}): Action<T> {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: (work: () => Promise<T>) => ask(work),
    onSettled: () => Promise.all(rereads.map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
  });
  const { mutate, reset } = mutation;
  const run = useCallback((work: () => Promise<T>) => mutate(work), [mutate]);
  return { run, working: mutation.isPending, result: mutation.data, error: mutation.error, reset };
}
