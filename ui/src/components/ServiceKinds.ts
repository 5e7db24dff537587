// サービス種類 as people read them: "11 訪問介護". The names come from the standard (Rust side).
import { useServiceKindNames } from "../backend/queries";

/** `["11", "15"]` → `["11 訪問介護", "15 通所介護"]`; without the names (not there yet, or failed), the codes alone. */
export function useServiceKindLabels(): (codes: string[]) => string[] {
  const names = useServiceKindNames().data ?? {};
  return (codes) => codes.map((code) => (names[code] ? `${code} ${names[code]}` : code));
}
