import { QueryClientProvider } from "@tanstack/react-query";
import { createContext, useContext, useState, type ReactNode } from "react";
import type { Backend } from "./Backend";
import { createQueryClient } from "./queries";

const BackendContext = createContext<Backend | null>(null);

/** The backend, and the one store of its answers that goes with it (each test's fake has its own). */
export function BackendProvider({ backend, children }: { backend: Backend; children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <BackendContext.Provider value={backend}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </BackendContext.Provider>
  );
}

export function useBackend(): Backend {
  const backend = useContext(BackendContext);
  if (!backend) throw new Error("BackendProvider is missing");
  return backend;
}
