// The work store (work.ts) for the screens, one per app (each test's backend has its own).
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { emptyBulk, emptyCompose, type BulkWork, type ComposeWork } from "./work";

type Update<T> = (change: (current: T) => T) => void;

type Store = {
  compose: ComposeWork;
  updateCompose: Update<ComposeWork>;
  bulk: BulkWork;
  updateBulk: Update<BulkWork>;
  /** Everything back to empty (the office logged out). */
  clear: () => void;
};

const WorkContext = createContext<Store | null>(null);

export function WorkProvider({ children }: { children: ReactNode }) {
  const [compose, setCompose] = useState(emptyCompose);
  const [bulk, setBulk] = useState(emptyBulk);
  // The updates keep their identity across changes: screens' effects depend on them.
  const updateCompose = useCallback<Update<ComposeWork>>((change) => setCompose((current) => change(current)), []);
  const updateBulk = useCallback<Update<BulkWork>>((change) => setBulk((current) => change(current)), []);
  const clear = useCallback(() => {
    setCompose(emptyCompose());
    setBulk(emptyBulk());
  }, []);
  const store = useMemo<Store>(() => ({ compose, updateCompose, bulk, updateBulk, clear }), [compose, bulk, updateCompose, updateBulk, clear]);
  return <WorkContext.Provider value={store}>{children}</WorkContext.Provider>;
}

export function useWork(): Store {
  const store = useContext(WorkContext);
  if (!store) throw new Error("WorkProvider is missing");
  return store;
}
