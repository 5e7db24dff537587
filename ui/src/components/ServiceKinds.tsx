// サービス種類 as people read them: "11 訪問介護". The names come from the standard (Rust side), once.
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { useBackend } from "../backend/BackendContext";

const ServiceKindNames = createContext<Record<string, string>>({});

export function ServiceKindsProvider({ children }: { children: ReactNode }) {
  const backend = useBackend();
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    // Without names the codes alone are still shown.
    backend.serviceKindNames().then(setNames, () => undefined);
  }, [backend]);
  return <ServiceKindNames.Provider value={names}>{children}</ServiceKindNames.Provider>;
}

/** `["11", "15"]` → `["11 訪問介護", "15 通所介護"]`. */
export function useServiceKindLabels(): (codes: string[]) => string[] {
  const names = useContext(ServiceKindNames);
  return (codes) => codes.map((code) => (names[code] ? `${code} ${names[code]}` : code));
}
