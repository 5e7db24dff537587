// The one way the screens reach the app's Rust side. The Tauri implementation calls the commands;
// tests use the fake. Every failure rejects with an ApiError ({code, message}, Japanese message).
import type { ApiError } from "../bindings/ApiError";
import type { AppInfo } from "../bindings/AppInfo";
import type { BulkEdit } from "../bindings/BulkEdit";
import type { BulkPlan } from "../bindings/BulkPlan";
import type { BulkResponse } from "../bindings/BulkResponse";
import type { CertificateCheck } from "../bindings/CertificateCheck";
import type { DirectoryPage } from "../bindings/DirectoryPage";
import type { DirectorySearch } from "../bindings/DirectorySearch";
import type { Draft } from "../bindings/Draft";
import type { EarlierSend } from "../bindings/EarlierSend";
import type { AutoFetchView } from "../bindings/AutoFetchView";
import type { FeedView } from "../bindings/FeedView";
import type { FetchOutcome } from "../bindings/FetchOutcome";
import type { FileEntry } from "../bindings/FileEntry";
import type { FileSource } from "../bindings/FileSource";
import type { FilesCheck } from "../bindings/FilesCheck";
import type { HistoryPage } from "../bindings/HistoryPage";
import type { HistoryQuery } from "../bindings/HistoryQuery";
import type { Home } from "../bindings/Home";
import type { ImportedCertificate } from "../bindings/ImportedCertificate";
import type { MessagePage } from "../bindings/MessagePage";
import type { Office } from "../bindings/Office";
import type { OpenedDraft } from "../bindings/OpenedDraft";
import type { OpenedFiles } from "../bindings/OpenedFiles";
import type { PersonalLoginResponse } from "../bindings/PersonalLoginResponse";
import type { PortalPage } from "../bindings/PortalPage";
import type { PracticeView } from "../bindings/PracticeView";
import type { Reconciliation } from "../bindings/records/Reconciliation";
import type { SendResponse } from "../bindings/SendResponse";
import type { Settings } from "../bindings/Settings";
import type { TransferProgressEvent } from "../bindings/TransferProgressEvent";

export type Mailbox = "inbox" | "outbox";

export interface Backend {
  appInfo(): Promise<AppInfo>;
  getSettings(): Promise<Settings>;
  saveSettings(settings: Settings): Promise<Settings>;
  /** What a certificate file says (番号, 有効期限) and whose the relay's register says it is; takes nothing. */
  inspectCertificate(path: string, password: string | null): Promise<CertificateCheck>;
  importCertificate(path: string, password: string | null): Promise<ImportedCertificate>;
  importCaCertificate(path: string): Promise<void>;
  /**
   * 電子証明書の申請: makes the key on this PC, sends its certificate signing request to the office
   * portal at `portalUrl` with the 事業所ユーザID and the 証明書発行用パスワード, and keeps the
   * certificate beside the key as 設定's certificate (the key never leaves the PC).
   */
  requestCertificate(portalUrl: string, officeUserId: string, issuancePassword: string): Promise<ImportedCertificate>;
  /** Opens a page of the office portal (AppInfo.portal_url) in the system browser. */
  openPortal(page: PortalPage): Promise<void>;
  /** The relay the build was made for (the theme's), taken where no relay is set yet. */
  applyRelayPreset(relayUrl: string, caPem: string, portalUrl?: string): Promise<Settings>;

  /** 練習モード: a relay inside the app with demo data; the settings in use become the practice ones. */
  startPractice(): Promise<PracticeView>;
  /** リセット: logged out, back to the starting data. */
  resetPractice(): Promise<PracticeView>;
  /** Leaves practice mode; its data is deleted. */
  stopPractice(): Promise<void>;
  practiceStatus(): Promise<PracticeView | null>;

  loginPersonal(personalId: string, password: string, rememberId: boolean): Promise<PersonalLoginResponse>;
  loginOffice(officeUserId: string, password: string, rememberId: boolean): Promise<Office>;
  logout(): Promise<void>;
  home(): Promise<Home>;
  lookupOffice(number: string): Promise<Office>;
  /** 利用事業所検索 (logged in): offices by name as typed, place, service kind or number, 20 a page. */
  searchDirectory(search: DirectorySearch): Promise<DirectoryPage>;

  listMessages(mailbox: Mailbox, page: number, perPage: number): Promise<MessagePage>;
  checkFiles(paths: string[]): Promise<FilesCheck>;
  /** サービス種類 names by code. */
  serviceKindNames(): Promise<Record<string, string>>;
  /** The standard's file kinds by their names' prefix (UPPLAN → サービス利用票（第6表）予定). */
  fileKindNames(): Promise<Record<string, string>>;
  planBulk(paths: string[]): Promise<BulkPlan>;
  /**
   * `fromDraft`: the draft this send comes from, which the relay removes in the same transaction as
   * it stores the message (so a draft cannot be sent twice, nor kept once sent); null for none.
   * `sendKey`: the screen's key for this message, kept until the relay answered: sent again with
   * it, the relay answers the stored message instead of storing it twice.
   */
  sendFiles(to: string, message: string, paths: string[], fromDraft: string | null, sendKey: string | null): Promise<SendResponse>;
  /**
   * `fromDraft`: as for sendFiles; removed when the draft's destination has been sent to.
   * `planKey`: the plan's key, kept for its retries; each destination is stored once under it.
   */
  bulkSend(paths: string[], edits: BulkEdit[], fromDraft: string | null, planKey: string | null): Promise<BulkResponse>;
  /** Which of these contents (hex SHA-256) this office already sent to `to`, with the latest send of each. */
  earlierSends(to: string, sha256: string[]): Promise<EarlierSend[]>;
  fetchFiles(files: FileEntry[], folder: string | null): Promise<FetchOutcome>;

  /**
   * 内容を見る: files read as the standard's records, with the forms' views and the validator's
   * findings. Received files are read without データ取得: they stay 未.
   */
  openFiles(source: FileSource): Promise<OpenedFiles>;
  /** 予実突合 of the 予定 files with the 実績 files; refused (reconcile.refused) with the reason in Japanese. */
  reconcileFiles(plan: FileSource, actual: FileSource): Promise<Reconciliation>;
  /** The 予実突合 as CSV (CP932) where the save dialog says; the path, or null when cancelled. */
  saveReconciliation(plan: FileSource, actual: FileSource): Promise<string | null>;
  /** The 受領証 of a file of 送信一覧 its receiver took, saved where the save dialog says; the path, or null when cancelled. */
  saveReceipt(file: FileEntry): Promise<string | null>;

  /** 送受信履歴: a page of the office's files sent and received over the query's period, newest first. */
  history(query: HistoryQuery): Promise<HistoryPage>;
  /** The whole period as one page, for the printed report (refused as history.too_many past its limit). */
  historyReport(query: HistoryQuery): Promise<HistoryPage>;
  /** The whole period as CSV (CP932) where the save dialog says; the path, or null when cancelled. */
  saveHistoryCsv(query: HistoryQuery): Promise<string | null>;

  listDrafts(): Promise<Draft[]>;
  saveDraft(id: string | null, to: string, message: string, paths: string[]): Promise<Draft>;
  openDraft(id: string): Promise<OpenedDraft>;
  deleteDraft(id: string): Promise<void>;
  /** A draft's files checked as 新規作成 checks dropped ones. */
  checkDraft(id: string): Promise<FilesCheck>;
  sendDraft(id: string): Promise<SendResponse>;

  /**
   * ログを保存: asks where with the OS dialog and saves the app's log of the last days there, for the
   * support desk (it never holds passwords or file contents). The saved file's path; null when the
   * user cancels.
   */
  saveLogs(): Promise<string | null>;

  /** The folder in the OS file manager. */
  openFolder(path: string): Promise<void>;
  /** The folder dialog; null when the user cancels. */
  chooseFolder(defaultPath: string | null): Promise<string | null>;
  /** The file dialog (several files), starting in `defaultPath` when given; empty when the user cancels. */
  chooseFiles(extensions?: string[], defaultPath?: string | null): Promise<string[]>;
  /** Files dropped on the window (their paths); returns the function that stops listening. */
  onFileDrop(listener: (paths: string[]) => void): Promise<() => void>;
  /** Upload and download progress; returns the function that stops listening. */
  onProgress(listener: (event: TransferProgressEvent) => void): Promise<() => void>;

  /** 受信通知: the office's feed as last told since the login (null before its first word). */
  feedStatus(): Promise<FeedView | null>;
  /** Each update of the feed (an arrival, a fetch, the connection's state); returns the function that stops listening. */
  onFeed(listener: (view: FeedView) => void): Promise<() => void>;
  /** Each pass of 自動取得 (when the office turned it on); returns the function that stops listening. */
  onAutoFetch(listener: (view: AutoFetchView) => void): Promise<() => void>;
  /** A click on one of the app's notifications: the window comes forward to show 受信一覧. */
  onOpenInbox(listener: () => void): Promise<() => void>;
}

/** What a rejected call carries; anything else becomes a generic Japanese message. */
export function asApiError(error: unknown): ApiError {
  if (error && typeof error === "object" && "code" in error && "message" in error) {
    return error as ApiError;
  }
  return { code: "ui.unexpected", message: String(error), diagnostics: [] };
}
