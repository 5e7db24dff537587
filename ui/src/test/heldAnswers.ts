// Answers that arrive late, in the order a test chooses: the backend's slow moments made repeatable.
import type { FakeBackend } from "./fakeBackend";

type Method = "checkFiles" | "planBulk" | "chooseFiles" | "getSettings" | "searchDirectory";

export type HeldCall<K extends Method> = {
  args: Parameters<FakeBackend[K]>;
  /** Lets the fake's own answer to this call arrive now. */
  release: () => Promise<void>;
};

/** From now on every call of `method` waits until the test releases it. */
export function holdAnswers<K extends Method>(backend: FakeBackend, method: K): HeldCall<K>[] {
  const answer = backend[method] as (...args: Parameters<FakeBackend[K]>) => ReturnType<FakeBackend[K]>;
  const held: HeldCall<K>[] = [];
  const waiting = (...args: Parameters<FakeBackend[K]>) =>
    new Promise((resolve, reject) => {
      held.push({ args, release: () => Promise.resolve(answer(...args)).then(resolve, reject) });
    });
  (backend as unknown as Record<K, typeof waiting>)[method] = waiting;
  return held;
}
