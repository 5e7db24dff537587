import { QueryClientProvider } from "@tanstack/react-query";
import { createContext, useContext, useState, type ReactNode } from "react";
import type { Backend } from "./Backend";
import { createQueryClient } from "./queries";
import { WorkProvider } from "../work/WorkContext";

const BackendContext = createContext<Backend | null>(null);

/**
 * The backend, the one store of its answers that goes with it, and the work being composed (each
 * test's fake has its own of both).
 */
export function BackendProvider({ backend, children }: { backend: Backend; children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <BackendContext.Provider value={backend}>
      <QueryClientProvider client={queryClient}>
        <WorkProvider>{children}</WorkProvider>
      </QueryClientProvider>
    </BackendContext.Provider>
  );
}

export function useBackend(): Backend {
  const backend = useContext(BackendContext);
  if (!backend) throw new Error("BackendProvider is missing");
  return backend;
}
