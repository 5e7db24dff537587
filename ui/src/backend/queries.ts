// What the screens read from the backend, through TanStack Query rather than a hook of our own: it
// already does what each screen used to do by hand (loading, error, reload), and it files every
// answer under the question it answers (the file list checked, the page listed), so a slow answer
// to an older question never replaces the answer to the newer one. It also shares one answer
// between the screens that ask the same thing (the settings, the サービス種類 names) and reloads
// what an action has changed (a send empties a draft from 下書き一覧).
import { keepPreviousData, QueryClient, useQuery } from "@tanstack/react-query";
import type { ApiError } from "../bindings/ApiError";
import type { DirectorySearch } from "../bindings/DirectorySearch";
import type { FileSource } from "../bindings/FileSource";
import type { HistoryQuery } from "../bindings/HistoryQuery";
import { asApiError, type Mailbox } from "./Backend";
import { useBackend } from "./BackendContext";

declare module "@tanstack/react-query" {
  // Every failure reaches the screens as an ApiError (see `ask`).
  interface Register {
    defaultError: ApiError;
  }
}

/** A backend call whose failure is an ApiError, whatever the call rejected with. */
export function ask<T>(call: () => Promise<T>): Promise<T> {
  return call().catch((error: unknown) => {
    throw asApiError(error);
  });
}

export function createQueryClient(): QueryClient {
  const defaults = {
    // The backend is the app's own process, not the network: a query must not wait for the
    // browser to say it is online; the Rust side says in Japanese when the relay is unreachable.
    networkMode: "always",
    // The client library retries sends itself; a failed read is shown at once, and 最新の情報に更新
    // asks again.
    retry: false,
  } as const;
  return new QueryClient({
    defaultOptions: {
      // Switching back to the window is not a reason to ask the relay again.
      queries: { ...defaults, refetchOnWindowFocus: false, refetchOnReconnect: false },
      mutations: defaults,
    },
  });
}

/** Everything read about the logged-in office starts with this key, so it can be forgotten at once. */
const OFFICE = "office";

export const queryKeys = {
  appInfo: ["appInfo"],
  settings: ["settings"],
  practice: ["practice"],
  serviceKindNames: ["serviceKindNames"],
  office: [OFFICE],
  home: [OFFICE, "home"],
  messages: [OFFICE, "messages"],
  drafts: [OFFICE, "drafts"],
  earlierSends: [OFFICE, "earlierSends"],
  draftChecks: [OFFICE, "draftCheck"],
  history: [OFFICE, "history"],
} as const;

/** Nothing of an office outlives its session: the next office to log in on this PC sees none of it. */
export function forgetOfficeData(client: QueryClient) {
  client.removeQueries({ queryKey: queryKeys.office });
}

export function useAppInfo() {
  const backend = useBackend();
  return useQuery({ queryKey: queryKeys.appInfo, queryFn: () => ask(() => backend.appInfo()) });
}

export function useSettings() {
  const backend = useBackend();
  return useQuery({ queryKey: queryKeys.settings, queryFn: () => ask(() => backend.getSettings()) });
}

export function usePracticeStatus() {
  const backend = useBackend();
  return useQuery({ queryKey: queryKeys.practice, queryFn: () => ask(() => backend.practiceStatus()) });
}

/** サービス種類 names by code: from the standard, so asked once per run. */
export function useServiceKindNames() {
  const backend = useBackend();
  return useQuery({
    queryKey: queryKeys.serviceKindNames,
    queryFn: () => ask(() => backend.serviceKindNames()),
    staleTime: Infinity,
  });
}

/** The standard's file kinds by prefix: from the standard, so asked once per run. */
export function useFileKindNames() {
  const backend = useBackend();
  return useQuery({
    queryKey: ["fileKindNames"],
    queryFn: () => ask(() => backend.fileKindNames()),
    staleTime: Infinity,
  });
}

/** An office of the register by its 事業所番号 (null: nothing to look up). */
export function useOffice(number: string | null) {
  const backend = useBackend();
  return useQuery({
    queryKey: [OFFICE, "officeLookup", number],
    queryFn: () => ask(() => backend.lookupOffice(number ?? "")),
    enabled: number !== null && number !== "",
  });
}

/** One page of 利用事業所検索 (null: nothing asked yet). */
export function useDirectory(search: DirectorySearch | null) {
  const backend = useBackend();
  return useQuery({
    queryKey: [OFFICE, "directory", search],
    queryFn: () => ask(() => backend.searchDirectory(search as DirectorySearch)),
    enabled: search !== null,
  });
}

/**
 * Which of these contents this office already sent to `to` (the relay's 送信一覧): asked afresh each
 * time it is needed, since any send may have changed it.
 */
export function useEarlierSends(to: string | null, digests: string[]) {
  const backend = useBackend();
  return useQuery({
    queryKey: [...queryKeys.earlierSends, to, digests],
    queryFn: () => ask(() => backend.earlierSends(to ?? "", digests)),
    enabled: to !== null && to !== "" && digests.length > 0,
    gcTime: 0,
  });
}

/** A draft's files checked against the standard; a draft saved again is another question. */
export function useDraftCheck(id: string, savedAt: string) {
  const backend = useBackend();
  return useQuery({
    queryKey: [...queryKeys.draftChecks, id, savedAt],
    queryFn: () => ask(() => backend.checkDraft(id)),
    staleTime: Infinity,
  });
}

export function useHome() {
  const backend = useBackend();
  return useQuery({ queryKey: queryKeys.home, queryFn: () => ask(() => backend.home()) });
}

/** One page of a mailbox; the page shown stays until the next one has arrived. */
export function useMessages(mailbox: Mailbox, page: number, perPage: number) {
  const backend = useBackend();
  return useQuery({
    queryKey: [...queryKeys.messages, mailbox, page, perPage],
    queryFn: () => ask(() => backend.listMessages(mailbox, page, perPage)),
    placeholderData: keepPreviousData,
  });
}

/** One page of 送受信履歴 for the filters searched (null: nothing searched yet); the page shown stays until the next has arrived. */
export function useHistory(query: HistoryQuery | null) {
  const backend = useBackend();
  return useQuery({
    queryKey: [...queryKeys.history, query],
    queryFn: () => ask(() => backend.history(query as HistoryQuery)),
    enabled: query !== null,
    placeholderData: keepPreviousData,
  });
}

export function useDrafts() {
  const backend = useBackend();
  return useQuery({ queryKey: queryKeys.drafts, queryFn: () => ask(() => backend.listDrafts()) });
}

/**
 * An answer about the files in hand (their check, their grouping by destination): asked again for
 * every change of the list, and only for the list as it is now. While the new list is being
 * answered the previous answer stays on screen, marked `isPlaceholderData`, so that nothing is
 * decided on it. Not kept once the list has changed: the same files may have been corrected on disk
 * by the time they are added again.
 */
function useAnswerAboutFiles<T>(what: string, paths: string[], call: (paths: string[]) => Promise<T>) {
  const some = paths.length > 0;
  return useQuery({
    queryKey: [OFFICE, what, paths],
    queryFn: () => ask(() => call(paths)),
    enabled: some,
    gcTime: 0,
    placeholderData: (previous) => (some ? previous : undefined),
  });
}

export function useFileCheck(paths: string[]) {
  const backend = useBackend();
  return useAnswerAboutFiles("fileCheck", paths, (p) => backend.checkFiles(p));
}

export function useBulkPlan(paths: string[]) {
  const backend = useBackend();
  return useAnswerAboutFiles("bulkPlan", paths, (p) => backend.planBulk(p));
}

/**
 * Files read as forms (内容を見る). Not kept once the viewer is closed: the file on disk may be
 * corrected and opened again. Filed under the office: a received file is that office's.
 */
export function useOpenedFiles(source: FileSource | null) {
  const backend = useBackend();
  return useQuery({
    queryKey: [OFFICE, "openedFiles", source],
    queryFn: () => ask(() => backend.openFiles(source as FileSource)),
    enabled: source !== null,
    gcTime: 0,
  });
}
