// The Backend over Tauri's IPC: each method is one command of src-tauri/src/commands.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { open } from "@tauri-apps/plugin-dialog";
import type { Backend } from "./Backend";
import { ja } from "../i18n";
import type { AutoFetchView } from "../bindings/AutoFetchView";
import type { FeedView } from "../bindings/FeedView";
import type { TransferProgressEvent } from "../bindings/TransferProgressEvent";

export const tauriBackend: Backend = {
  appInfo: () => invoke("app_info"),
  getSettings: () => invoke("get_settings"),
  saveSettings: (settings) => invoke("save_settings", { settings }),
  inspectCertificate: (path, password) => invoke("inspect_certificate", { path, password }),
  importCertificate: (path, password) => invoke("import_certificate", { path, password }),
  importCaCertificate: (path) => invoke("import_ca_certificate", { path }),
  requestCertificate: (portalUrl, officeUserId, issuancePassword) =>
    invoke("request_certificate", { portalUrl, officeUserId, issuancePassword }),
  openPortal: (page) => invoke("open_portal", { page }),
  applyRelayPreset: (relayUrl, caPem, portalUrl) => invoke("apply_relay_preset", { relayUrl, caPem, portalUrl: portalUrl ?? null }),

  startPractice: () => invoke("start_practice"),
  resetPractice: () => invoke("reset_practice"),
  stopPractice: () => invoke("stop_practice"),
  practiceStatus: () => invoke("practice_status"),

  loginPersonal: (personalId, password, rememberId) =>
    invoke("login_personal", { personalId, password, rememberId }),
  loginOffice: (officeUserId, password, rememberId) =>
    invoke("login_office", { officeUserId, password, rememberId }),
  logout: () => invoke("logout"),
  home: () => invoke("home"),
  lookupOffice: (number) => invoke("lookup_office", { number }),
  searchDirectory: (search) => invoke("search_directory", { search }),

  listMessages: (mailbox, page, perPage) => invoke("list_messages", { mailbox, page, perPage }),
  checkFiles: (paths) => invoke("check_files", { paths }),
  serviceKindNames: () => invoke("service_kind_names"),
  fileKindNames: () => invoke("file_kind_names"),
  planBulk: (paths) => invoke("plan_bulk", { paths }),
  sendFiles: (to, message, paths, fromDraft, sendKey) => invoke("send_files", { to, message, paths, fromDraft, sendKey }),
  bulkSend: (paths, edits, fromDraft, planKey) => invoke("bulk_send", { paths, edits, fromDraft, planKey }),
  earlierSends: (to, sha256) => invoke("earlier_sends", { to, sha256 }),
  fetchFiles: (files, folder) => invoke("fetch_files", { files, folder }),

  openFiles: (source) => invoke("open_files", { source }),
  reconcileFiles: (plan, actual) => invoke("reconcile_files", { plan, actual }),
  saveReconciliation: (plan, actual) => invoke("save_reconciliation", { plan, actual }),
  saveReceipt: (file) => invoke("save_receipt", { file }),
  history: (query) => invoke("history", { query }),
  historyReport: (query) => invoke("history_report", { query }),
  saveHistoryCsv: (query) => invoke("save_history_csv", { query }),
  listDrafts: () => invoke("list_drafts"),
  saveDraft: (id, to, message, paths) => invoke("save_draft", { id, to, message, paths }),
  openDraft: (id) => invoke("open_draft", { id }),
  deleteDraft: (id) => invoke("delete_draft", { id }),
  checkDraft: (id) => invoke("check_draft", { id }),
  sendDraft: (id) => invoke("send_draft", { id }),

  saveLogs: () => invoke("save_logs"),

  openFolder: (path) => invoke("open_folder", { path }),
  chooseFolder: async (defaultPath) => {
    const chosen = await open({ directory: true, multiple: false, defaultPath: defaultPath ?? undefined });
    return typeof chosen === "string" ? chosen : null;
  },
  chooseFiles: async (extensions, defaultPath) => {
    const chosen = await open({
      multiple: true,
      filters: extensions ? [{ name: ja.dialog.files, extensions }] : undefined,
      defaultPath: defaultPath ?? undefined,
    });
    if (chosen === null) return [];
    return Array.isArray(chosen) ? chosen : [chosen];
  },
  onFileDrop: async (listener) =>
    getCurrentWebview().onDragDropEvent((event) => {
      if (event.payload.type === "drop") listener(event.payload.paths);
    }),
  onProgress: async (listener) =>
    listen<TransferProgressEvent>("transfer-progress", (event) => listener(event.payload)),
  feedStatus: () => invoke("feed_status"),
  onFeed: async (listener) => listen<FeedView>("feed", (event) => listener(event.payload)),
  onAutoFetch: async (listener) => listen<AutoFetchView>("auto-fetch", (event) => listener(event.payload)),
  onOpenInbox: async (listener) => listen("open-inbox", () => listener()),
};
