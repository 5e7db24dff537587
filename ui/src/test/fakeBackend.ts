// An in-memory Backend for the screens' tests: it behaves like the app (two-stage login, 未/済, once-only
// fetch) and records calls; tests set `fail` to make the next call of a method reject.
import type { AutoFetchView } from "../bindings/AutoFetchView";
import type { FeedView } from "../bindings/FeedView";
import type { ResidentSettings } from "../bindings/ResidentSettings";
import type { ApiError } from "../bindings/ApiError";
import type { BulkEdit } from "../bindings/BulkEdit";
import type { BulkPlan } from "../bindings/BulkPlan";
import type { DirectoryEntry } from "../bindings/DirectoryEntry";
import type { DirectorySearch } from "../bindings/DirectorySearch";
import type { CertificateCheck } from "../bindings/CertificateCheck";
import type { Draft } from "../bindings/Draft";
import type { EarlierSend } from "../bindings/EarlierSend";
import type { FileCheck } from "../bindings/FileCheck";
import type { UnitCheck } from "../bindings/UnitCheck";
import type { FetchOutcome } from "../bindings/FetchOutcome";
import type { FileEntry } from "../bindings/FileEntry";
import type { FileSource } from "../bindings/FileSource";
import type { OpenedFiles } from "../bindings/OpenedFiles";
import type { Reconciliation } from "../bindings/records/Reconciliation";
import type { HistoryEntry } from "../bindings/HistoryEntry";
import type { HistoryKind } from "../bindings/HistoryKind";
import type { HistoryPage } from "../bindings/HistoryPage";
import type { HistoryQuery } from "../bindings/HistoryQuery";
import type { Home } from "../bindings/Home";
import type { MessageSummary } from "../bindings/MessageSummary";
import type { MessageUnit } from "../bindings/MessageUnit";
import type { Office } from "../bindings/Office";
import type { PortalPage } from "../bindings/PortalPage";
import type { PracticeView } from "../bindings/PracticeView";
import type { SendResponse } from "../bindings/SendResponse";
import type { Settings } from "../bindings/Settings";
import type { TransferProgressEvent } from "../bindings/TransferProgressEvent";
import type { Backend } from "../backend/Backend";

export const CARE_MANAGER: Office = {
  number: "1370000018",
  name: "ひだまり居宅介護支援事業所",
  service_kinds: ["43"],
  prefecture: "東京都",
  city: "新宿区",
  uses_system: true,
};
export const HOME_HELP: Office = { ...CARE_MANAGER, number: "1370000026", name: "ひまわりヘルパーステーション", service_kinds: ["11"] };
/** Offices the register knows besides the two above, as 利用事業所検索 lists them. */
export const DAY_CARE: Office = { number: "1370000042", name: "さくら通所介護センター", service_kinds: ["15"], prefecture: "東京都", city: "中野区", uses_system: true };
export const OSAKA_HELP: Office = { number: "2770000017", name: "なにわ訪問介護ステーション", service_kinds: ["11"], prefecture: "大阪府", city: "大阪市北区", uses_system: false };

/** The register the relay searches and routes by: each office with its 事業所名（カナ）. */
export function register(): DirectoryEntry[] {
  return [
    { office: CARE_MANAGER, name_kana: "ヒダマリキョタクカイゴシエンジギョウショ" },
    { office: HOME_HELP, name_kana: "ヒマワリヘルパーステーション" },
    { office: DAY_CARE, name_kana: "サクラツウショカイゴセンター" },
    { office: OSAKA_HELP, name_kana: "ナニワホウモンカイゴステーション" },
  ];
}

/** As the relay folds text for 利用事業所検索: NFKC, katakana as hiragana, lower case, no spaces. */
function foldForSearch(text: string): string {
  return [...text.normalize("NFKC")]
    .filter((c) => !/\s/u.test(c))
    .map((c) => (c >= "\u30A1" && c <= "\u30F6" ? String.fromCodePoint(c.codePointAt(0)! - 0x60) : c))
    .join("")
    .toLowerCase();
}

export function file(id: string, name: string, fetched = false): FileEntry {
  return { id, name, category: name.endsWith(".CSV") ? "register" : "attachment", csv_version: name.endsWith(".CSV") ? "202407" : null, size: 1000, sha256: fakeDigest(name), fetched_at: fetched ? "2025-05-01T10:00:00+09:00" : null };
}

/** The fake's SHA-256 of a file: made from its name (the fake reads no bytes), 64 hex digits. */
export function fakeDigest(name: string): string {
  let hash = 0;
  for (const c of name) hash = (hash * 31 + c.codePointAt(0)!) >>> 0;
  return hash.toString(16).padStart(8, "0").repeat(8);
}

/** The sender and receiver in a v4 name (…_SENDER_KIND_RECEIVER_KIND_SERIAL.CSV). */
function parties(path: string): { sender: string; receiver: string } | null {
  const found = /_(\w{10})_\w{2}_(\w{10})_\w{2}_\d{14}\.CSV$/.exec(path);
  return found ? { sender: found[1], receiver: found[2] } : null;
}

export function message(id: string, files: FileEntry[], text = "", counterpart = CARE_MANAGER, units: MessageUnit[] = []): MessageSummary {
  return { id, sent_at: "2025-04-30T18:00:00+09:00", message: text, counterpart, files, units };
}

/** 練習モード as the app gives it; `round` tells one start or リセット from the next. */
export function practiceView(round: number): PracticeView {
  const sample_folder = `/tmp/careplan-practice-${round}/サンプルファイル`;
  return {
    office_number: CARE_MANAGER.number,
    office_name: CARE_MANAGER.name,
    personal_user_id: "c1370000018a",
    personal_password: "demo-pass-2025",
    office_user_id: "KJ137000001801",
    office_password: "demo-pass-2025",
    sample_folder,
    sample_files: [`${sample_folder}/UPPLAN_202504_1370000018_43_1370000026_11_20250325120000.CSV`],
  };
}

const PORTAL_NOT_HTTPS = "利用状況Webサイトの接続先（URL）は https:// で始めてください（空欄なら接続先と同じホストの 8444 番ポートです）。";

/** As the app derives it: the address set under 詳細設定, else the relay's host (of 接続先) on the portal's port, 8444. */
export function portalOf(relayUrl: string, portalAddress = ""): string | null {
  const set = portalAddress.trim().replace(/\/+$/, "");
  if (set) return set.startsWith("https://") ? set : null;
  const authority = /^https:\/\/([^/?#]+)/.exec(relayUrl.trim())?.[1];
  const host = authority?.replace(/:\d*$/, "");
  return host ? `https://${host}:8444` : null;
}

/** The 証明書発行用パスワード of the fake's office. */
export const ISSUANCE_PASSWORD = "cert-pass";

export function apiError(code: string, message: string): ApiError {
  return { code, message, diagnostics: [] };
}

/** A row of 送受信履歴: this office (HOME_HELP) received `name` from the care office, not yet taken. */
export function historyEntry(fileId: string, name: string, changes: Partial<HistoryEntry> = {}): HistoryEntry {
  const standard = /^([A-Z0-9]+(?:_SUB\d?|_IMAGE)?)_(?:(\d{6})_)?\d{10}_\d{2}_\d{10}_\d{2}_(\d{14})/.exec(name);
  const month = standard?.[2] && standard[2] !== "000000" ? standard[2] : null;
  return {
    direction: "received",
    partner: { number: CARE_MANAGER.number, name: CARE_MANAGER.name },
    message_id: `m-${fileId}`,
    file_id: fileId,
    name,
    category: standard ? "register" : "attachment",
    kind: standard?.[1] ?? null,
    target_month: month,
    serial: standard?.[3] ?? null,
    unit_title: standard ? "サービス利用票（予定）2025年4月分" : null,
    people: standard ? ["山田\u3000花子"] : [],
    size: 1000,
    sha256: fakeDigest(name),
    sent_at: "2025-04-25T10:00:00+09:00",
    sent_by: { person_id: "c1370000018a", person_name: null, terminal: "居宅PC" },
    fetched_at: null,
    fetched_by: null,
    expired_at: null,
    receipt_signature: null,
    later_versions: [],
    ...changes,
  };
}

/** The name prefixes of each kind the history filters by, as the relay groups them. */
const HISTORY_KINDS: Record<HistoryKind, string[]> = {
  plan: ["UP1KYO", "UP2KYO", "UP3KYO", "DLT1KYO"],
  use_plan: ["UPPLAN", "UPSIKYU", "DLTPLAN"],
  actual: ["UPJSK", "DLTJSK"],
  basic_info: ["UPKIHON", "UPKIHON_SUB1", "UPKIHON_SUB2", "UPKIHON_IMAGE", "DLTKIHON"],
  prevention_plan: ["UPYOBO", "UPYOBO_SUB", "DLTYOBO"],
  supplement: ["UPHOSOKU"],
  attachment: [],
};

/** The relay's checks of a history query, with its messages. */
function checkHistoryQuery(query: HistoryQuery) {
  const real = (text: string) => /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text)) && new Date(text).toISOString().startsWith(text);
  for (const day of [query.from, query.to])
    if (!real(day)) throw apiError("history.bad_filter", `期間の日付「${day}」は YYYY-MM-DD（例: 2025-04-01）で指定してください。`);
  if (query.to < query.from) throw apiError("history.bad_filter", "期間の終わりが始まりより前です。始まりと終わりの日付を確かめてください。");
  if (query.partner && !/^\d{10}$/.test(query.partner)) throw apiError("history.bad_filter", "相手先の事業所番号は10桁の数字で指定してください。");
  const perPage = query.per_page ?? 100;
  if (perPage < 1 || perPage > 200 || (query.page ?? 1) < 1) throw apiError("list.bad_page", "ページは1～1000000、1ページの件数は1～200件で指定してください。");
}

function matchesHistory(e: HistoryEntry, query: HistoryQuery): boolean {
  const day = e.sent_at.slice(0, 10);
  const folded = (text: string) => text.replace(/[ \u3000]/g, "");
  if (day < query.from || day > query.to) return false;
  if (query.direction && e.direction !== query.direction) return false;
  if (query.partner && e.partner.number !== query.partner) return false;
  if (query.kind && (query.kind === "attachment" ? e.kind !== null : !HISTORY_KINDS[query.kind].includes(e.kind ?? ""))) return false;
  if (query.month && e.target_month !== query.month) return false;
  if (query.insured && !e.people.some((p) => p.includes(query.insured as string))) return false;
  if (query.name && !e.people.some((p) => folded(p).includes(folded(query.name as string)))) return false;
  return true;
}

export class FakeBackend implements Backend {
  settings: Settings = { relay_url: "https://relay.example:8443", ca_certificate: "/app/ca.pem", certificate: "/app/office.p12", terminal_name: "受付PC", save_folder: "/home/user/受信", personal_id: null, office_user_id: null, fetch_explained: false, portal_address: "", resident: defaultResident() };
  inbox: MessageSummary[] = [];
  outbox: MessageSummary[] = [];
  home_: Home = {
    office: HOME_HELP,
    licence: { starts_on: "2025-04-01", expires_on: "2026-03-31", fee_yen: 21000, free_pass: true, payment: "waived" },
    certificate: { subject: "CN=KaigoJigyousho,OU=1370000026", serial: "01", not_before: "2025-04-01T00:00:00+09:00", not_after: "2026-03-31T00:00:00+09:00" },
    notices: [{ id: "n1", published_at: "2025-04-01T09:00:00+09:00", title: "メンテナンスのお知らせ", body: "12月1日 2:00～4:00 は利用できません。" }],
    unfetched: 0,
    expiring_sent: 0,
  };
  passwords = { personal: "right-pass", office: "right-pass" };
  /** The 個人ユーザID logged in at stage 1: who saves drafts (the relay records it). */
  personalId: string | null = null;
  practice: PracticeView | null = null;
  practiceRounds = 0;
  practiceRequested = false;
  private realSettings: Settings | null = null;
  folder: string | null = "/home/user/受信";
  stage = 0;
  /** The office logged in as, once both stages are done. */
  loggedInAs: Office | null = null;
  calls: string[] = [];
  fail: Partial<Record<keyof Backend, ApiError>> = {};
  private progress: ((e: TransferProgressEvent) => void)[] = [];
  private dropListeners: ((paths: string[]) => void)[] = [];

  /** What the window does when files are dropped on it. */
  drop(paths: string[]) {
    this.dropListeners.forEach((listener) => listener(paths));
  }

  private async call<T>(name: keyof Backend, body: () => T | Promise<T>): Promise<T> {
    this.calls.push(name);
    const failure = this.fail[name];
    if (failure) {
      delete this.fail[name];
      throw failure;
    }
    return body();
  }

  appInfo = () => this.call("appInfo", () => ({ version: "0.1.0", relay_url: this.settings.relay_url || null, portal_url: this.practice ? null : portalOf(this.settings.relay_url, this.settings.portal_address), ready_to_log_in: Boolean(this.settings.relay_url && this.settings.ca_certificate && this.settings.certificate), practice_requested: this.practiceRequested }));
  getSettings = () => this.call("getSettings", () => ({ ...this.settings }));
  saveSettings = (settings: Settings) =>
    this.call("saveSettings", () => {
      if (this.practice) throw apiError("practice.settings_locked", "練習モード中は設定を変更できません。練習モードを終了してから変更してください。");
      const relay_url = settings.relay_url.trim().replace(/\/+$/, "");
      const terminal_name = settings.terminal_name.trim();
      if (relay_url && !relay_url.startsWith("https://")) throw apiError("settings.relay_url", "接続先（URL）は https:// で始めてください。");
      // Absent in a call from before the field existed: the Rust side defaults it too.
      const portal_address = (settings.portal_address ?? "").trim().replace(/\/+$/, "");
      if (portal_address && !portal_address.startsWith("https://")) throw apiError("settings.portal_url", PORTAL_NOT_HTTPS);
      if (!terminal_name) throw apiError("settings.terminal_name", "端末名を入力してください（例: 受付PC）。");
      if ([...terminal_name].length > 50) throw apiError("settings.terminal_name", "端末名は50文字以内にしてください。");
      // Absent fields are the Rust side's defaults too.
      const resident = checkedQuietHours({ ...defaultResident(), ...settings.resident });
      this.settings = { ...settings, resident, relay_url, terminal_name, portal_address, ca_certificate: this.settings.ca_certificate, certificate: this.settings.certificate, fetch_explained: this.settings.fetch_explained };
      return { ...this.settings };
    });
  importCertificate = (path: string, password: string | null) =>
    this.call("importCertificate", () => {
      if (this.practice) throw apiError("practice.settings_locked", "練習モード中は設定を変更できません。練習モードを終了してから変更してください。");
      if (!password) throw apiError("certificate.password_missing", "電子証明書（.p12）のパスワードを入力してください。");
      if (password !== "p12-pass") throw apiError("certificate.password_wrong", "電子証明書（.p12）のパスワードが違います。");
      // Another office's certificate than the one before: its remembered IDs go.
      const before = this.settings.certificate ? this.certificateOffice(this.settings.certificate) : null;
      const ids_cleared = this.settings.certificate !== null && before !== this.certificateOffice(path);
      this.settings.certificate = path;
      if (ids_cleared) this.settings = { ...this.settings, personal_id: null, office_user_id: null };
      return { file_name: path.split("/").pop()!, ids_cleared, password_saved: this.keyringWorks };
    });
  /** Whether the OS keyring takes the certificate's password. */
  keyringWorks = true;
  /** The fake's certificates belong to ひまわり, unless their name says ひだまり ("care-manager"). */
  private certificateOffice(path: string): Office {
    return path.includes("care-manager") ? CARE_MANAGER : HOME_HELP;
  }
  /** Whether the relay can be reached to name a certificate's office. */
  relayReachable = true;
  inspectCertificate = (path: string, password: string | null) =>
    this.call("inspectCertificate", (): CertificateCheck => {
      if (path.endsWith(".p12") && !password) throw apiError("certificate.password_missing", "電子証明書（.p12）のパスワードを入力してください。");
      if (path.endsWith(".p12") && password !== "p12-pass") throw apiError("certificate.password_wrong", "電子証明書（.p12）のパスワードが違います。");
      const office = this.certificateOffice(path);
      return {
        file_name: path.split("/").pop()!,
        office_number: office.number,
        not_after: "2026-03-31",
        expired: false,
        office: this.relayReachable ? office : null,
        relay_error: this.relayReachable ? null : apiError("connection.failed", "連携基盤に接続できません。インターネットへの接続と、設定の接続先（URL）を確認してください。"),
      };
    });
  applyRelayPreset = (relayUrl: string, caPem: string, portalUrl?: string) =>
    this.call("applyRelayPreset", () => {
      if (this.practice) throw apiError("practice.settings_locked", "練習モード中は設定を変更できません。練習モードを終了してから変更してください。");
      if (this.settings.relay_url || this.settings.ca_certificate) return { ...this.settings };
      if (!relayUrl.startsWith("https://")) throw apiError("settings.relay_url", "接続先（URL）は https:// で始めてください。");
      const portal_address = (portalUrl ?? "").trim().replace(/\/+$/, "");
      if (portal_address && !portal_address.startsWith("https://")) throw apiError("settings.portal_url", PORTAL_NOT_HTTPS);
      if (!caPem.includes("-----BEGIN CERTIFICATE-----")) throw apiError("settings.ca", "認証局の証明書（PEM 形式の .pem）を選んでください。");
      this.settings = { ...this.settings, relay_url: relayUrl.replace(/\/+$/, ""), ca_certificate: "/app/relay-ca.pem", portal_address };
      return { ...this.settings };
    });
  importCaCertificate = (path: string) =>
    this.call("importCaCertificate", () => {
      if (this.practice) throw apiError("practice.settings_locked", "練習モード中は設定を変更できません。練習モードを終了してから変更してください。");
      this.settings.ca_certificate = path;
    });

  /** The portal's pages opened in the browser. */
  openedPortalPages: PortalPage[] = [];
  requestCertificate = (portalUrl: string, officeUserId: string, issuancePassword: string) =>
    this.call("requestCertificate", () => {
      if (this.practice) throw apiError("practice.settings_locked", "練習モード中は設定を変更できません。練習モードを終了してから変更してください。");
      if (!this.settings.ca_certificate) throw apiError("settings.incomplete", "認証局の証明書が設定されていません。設定画面で取り込んでください。");
      if (!portalUrl.trim().startsWith("https://")) throw apiError("settings.portal_url", "利用状況WebサイトのURLは https:// で始めてください。");
      if (!issuancePassword) throw apiError("certificate.issuance_password", "証明書発行用パスワードを入力してください（電子請求登録結果に関するお知らせに記載されています）。");
      const id = officeUserId.trim();
      if (id.startsWith("HD")) throw apiError("auth.proxy_id", "「HD」で始まるIDは代理請求用のIDのため、ケアプランデータ連携システムでは使えません。");
      if (!/^KJ[0-9A-Za-z]{12}$/.test(id)) throw apiError("auth.office_id_format", "電子証明書の申請には「KJ」で始まる事業所ユーザIDを入力してください。");
      if (issuancePassword !== ISSUANCE_PASSWORD) throw apiError("certificate.issuance_password", "事業所ユーザIDまたは証明書発行用パスワードが違います。");
      const file_name = `${HOME_HELP.number}-01.pem`;
      // As for an imported certificate: another office's than before clears the remembered IDs.
      const before = this.settings.certificate ? this.certificateOffice(this.settings.certificate) : null;
      const ids_cleared = this.settings.certificate !== null && before !== HOME_HELP;
      this.settings.certificate = `/app/certificates/${file_name}`;
      if (ids_cleared) this.settings = { ...this.settings, personal_id: null, office_user_id: null };
      return { file_name, ids_cleared, password_saved: true };
    });
  openPortal = (page: PortalPage) =>
    this.call("openPortal", () => {
      if (this.practice || !portalOf(this.settings.relay_url)) throw apiError("settings.incomplete", "利用状況Webサイトを開くには、設定画面で接続先（URL）を入力してください（練習モード中は開けません）。");
      this.openedPortalPages.push(page);
    });

  loginPersonal = (personalId: string, password: string, rememberId: boolean) =>
    this.call("loginPersonal", () => {
      if (!this.settings.relay_url) throw apiError("settings.incomplete", "接続先が設定されていません。設定画面で接続先（URL）を入力してください。");
      if (!this.settings.ca_certificate) throw apiError("settings.incomplete", "認証局の証明書が設定されていません。設定画面で取り込んでください。");
      if (!this.settings.certificate) throw apiError("certificate.missing", "電子証明書が設定されていません。設定画面で事業所の電子証明書を取り込んでください。");
      if (personalId.startsWith("HD")) throw apiError("auth.proxy_id", "HDで始まるIDは代理請求用のため、ログインには使えません。");
      if (password !== this.passwords.personal) throw apiError("auth.invalid_credentials", "IDまたはパスワードが違います。");
      this.stage = 1;
      this.personalId = personalId;
      if (rememberId) this.settings.personal_id = personalId;
      return { stage_token: "stage", expires_in_seconds: 300 };
    });
  loginOffice = (officeUserId: string, password: string, rememberId: boolean) =>
    this.call("loginOffice", () => {
      if (this.stage !== 1) throw apiError("auth.stage_required", "先に個人ユーザIDでログインしてください。");
      // As the relay: the attempt uses up the first stage, whatever its outcome.
      this.stage = 0;
      if (password !== this.passwords.office) throw apiError("auth.invalid_credentials", "事業所ユーザIDまたはパスワードが違います。入力し直してください。5回続けて間違えると、30分間ログインできなくなります。");
      this.stage = 2;
      if (rememberId) this.settings.office_user_id = officeUserId;
      // The trainee plays the demo's 居宅介護支援事業所.
      this.loggedInAs = this.practice ? CARE_MANAGER : HOME_HELP;
      return this.loggedInAs;
    });
  private enterPractice(): PracticeView {
    this.realSettings ??= this.settings;
    this.practiceRounds += 1;
    this.practice = practiceView(this.practiceRounds);
    this.settings = { relay_url: "https://127.0.0.1:40000", ca_certificate: "/tmp/ca.pem", certificate: "/tmp/office.pem", terminal_name: "練習用PC", save_folder: "/tmp/受信したファイル", personal_id: this.practice.personal_user_id, office_user_id: this.practice.office_user_id, fetch_explained: false, portal_address: "", resident: defaultResident() };
    this.passwords = { personal: this.practice.personal_password, office: this.practice.office_password };
    this.stage = 0;
    return this.practice;
  }
  startPractice = () => this.call("startPractice", () => this.practice ?? this.enterPractice());
  resetPractice = () => this.call("resetPractice", () => this.enterPractice());
  stopPractice = () =>
    this.call("stopPractice", () => {
      if (this.realSettings) this.settings = this.realSettings;
      this.realSettings = null;
      this.practice = null;
      this.stage = 0;
    });
  practiceStatus = () => this.call("practiceStatus", () => this.practice);
  logout = () => this.call("logout", () => { this.stage = 0; this.loggedInAs = null; });
  home = () => this.call("home", () => ({ ...this.home_, unfetched: this.inbox.flatMap((m) => m.files).filter((f) => !f.fetched_at && !f.expired_at).length }));
  /** The relay's register of offices (tests add offices to it); offices not in it are unknown. */
  directory: DirectoryEntry[] = register();
  private office(number: string): Office | undefined {
    return this.directory.find((e) => e.office.number === number)?.office;
  }
  lookupOffice = (number: string) => this.call("lookupOffice", () => this.office(number) ?? Promise.reject(apiError("office.not_found", "登録されていません。")));

  /** 利用事業所検索 as the relay answers it: the register filtered, by prefecture, city and number, 20 a page. */
  searchDirectory = (search: DirectorySearch) =>
    this.call("searchDirectory", () => {
      if (this.stage !== 2) throw apiError("session.required", "ログインしていません。ログインしてからもう一度操作してください。");
      if (Object.values(search).some((field) => typeof field === "string" && [...field].length > 100)) throw apiError("directory.field_too_long", "検索の条件は各100文字までにしてください。");
      const page = search.page ?? 1;
      if (page < 1 || page > 10000) throw apiError("directory.bad_page", "ページは1～10000で指定してください。");
      const name = foldForSearch(search.name);
      const found = this.directory
        .filter(({ office, name_kana }) =>
          (search.prefecture.trim() === "" || office.prefecture === search.prefecture.trim()) &&
          office.city.includes(search.city.trim()) &&
          (search.service_kind.trim() === "" || office.service_kinds.includes(search.service_kind.trim())) &&
          office.number.startsWith(search.number.trim()) &&
          (foldForSearch(office.name).includes(name) || foldForSearch(name_kana).includes(name) || office.name.includes(search.name.trim())),
        )
        .sort((a, b) => a.office.prefecture.localeCompare(b.office.prefecture) || a.office.city.localeCompare(b.office.city) || a.office.number.localeCompare(b.office.number));
      return { items: found.slice((page - 1) * 20, page * 20), total: found.length, page, per_page: 20 };
    });

  listMessages = (mailbox: "inbox" | "outbox", page: number, perPage: number) =>
    this.call("listMessages", () => {
      const all = mailbox === "inbox" ? this.inbox : this.outbox;
      return { items: all.slice((page - 1) * perPage, page * perPage), total: all.length, page, per_page: perPage };
    });
  serviceKindNames = () => this.call("serviceKindNames", () => this.serviceKindNames_);
  serviceKindNames_ = { "11": "訪問介護", "15": "通所介護", "43": "居宅介護支援" };
  fileKindNames = () => this.call("fileKindNames", () => ({ UPPLAN: "サービス利用票（第6表）予定", UPSIKYU: "サービス利用票別表（第7表）", UPHOSOKU: "利用者補足情報", UPJSK: "実績情報（第6表）", UP1KYO: "居宅サービス計画書（第1表）" }));
  /**
   * A file whose name contains "BROKEN" breaks the standard (a BOM, as the real check finds it),
   * one with "REPEATED" breaks it on lines 1 to 3 with the same finding,
   * one with "MISSING" cannot be read; once logged in, a v4 name whose sender is another office is
   * refused. Standard files are about one 利用者 (山田花子, written with a full-width space).
   */
  checkFiles = (paths: string[]) => this.call("checkFiles", () => this.check(paths));
  private check(paths: string[]) {
    const files = paths.map((path): FileCheck => {
      const name = path.split("/").pop()!;
      if (name.includes("MISSING")) {
        return { path, name, kind_name: "ファイル", ok: false, unreadable: true, sha256: null, people: [], suppressed: 0, diagnostics: [{ code: "file.not_found", severity: "error", file: name, line: null, item_no: null, item_name: null, message: `「${name}」が見つかりません。移動したか削除された可能性があります。ファイルのある場所を確かめて、入れ直してください。` }] };
      }
      const diagnostics: FileCheck["diagnostics"] = name.includes("BROKEN")
        ? [{ code: "csv.encoding.bom", severity: "error", file: name, line: 1, item_no: null, item_name: null, message: "ファイルの先頭にBOMがあります。BOMなしのShift_JISで保存し直してください。" }]
        : name.includes("REPEATED")
          ? [1, 2, 3].map((line) => ({ code: "item.time", severity: "error", file: name, line, item_no: 12, item_name: "開始時刻", message: "開始時刻が時刻の形（hhmm）ではありません。" }))
          : [];
      const sender = parties(path)?.sender;
      if (this.loggedInAs && sender && sender !== this.loggedInAs.number) {
        diagnostics.push({ code: "send.sender_mismatch", severity: "error", file: name, line: null, item_no: null, item_name: null, message: `このファイルの送信元の事業所番号（${sender}）が、ログインしている事業所（${this.loggedInAs.number}）と違います。自分の事業所のファイルだけを送れます。` });
      }
      const csv = name.endsWith(".CSV");
      return { path, name, kind_name: csv ? "サービス利用票（第6表）" : "添付ファイル", ok: diagnostics.length === 0, unreadable: false, sha256: fakeDigest(name), people: csv ? ["山田　花子"] : [], suppressed: 0, diagnostics };
    });
    const destinations = [...new Set(paths.map((p) => parties(p)?.receiver).filter((r): r is string => r !== undefined))].sort();
    return { ok: files.every((f) => f.ok), files, units: unitsOf(files), destinations };
  }
  /** Routes v4 names by their receiver (…_SENDER_KIND_RECEIVER_KIND_SERIAL.CSV). */
  private route(paths: string[]): BulkPlan {
    const destinations: BulkPlan["destinations"] = [];
    const unrouted: string[] = [];
    for (const path of paths) {
      const receiver = parties(path)?.receiver;
      if (!receiver) {
        unrouted.push(path);
        continue;
      }
      let destination = destinations.find((d) => d.office_number === receiver);
      if (!destination) {
        destination = { office_number: receiver, office: this.office(receiver) ?? null, paths: [] };
        destinations.push(destination);
      }
      destination.paths.push(path);
    }
    destinations.sort((a, b) => a.office_number.localeCompare(b.office_number));
    return { destinations, unrouted };
  }
  planBulk = (paths: string[]) => this.call("planBulk", () => this.route(paths));
  private unknownDestination(number: string): ApiError {
    return apiError("send.unknown_destination", `事業所番号 ${number} の事業所は、ケアプランデータ連携システムに登録されていません。`);
  }
  /** A send as the relay stores it: in 送信一覧. */
  private deliver(to: string, text: string, paths: string[]) {
    const counterpart = this.office(to);
    if (!counterpart) throw this.unknownDestination(to);
    // What the files are, in words, as the relay derives it from their content.
    const units = unitsOf(this.check(paths).files).map(({ serial, title, people }) => ({ serial, title, people }));
    const sent = message(`sent${this.outbox.length + 1}`, paths.map((p, i) => file(`s${i}`, p.split("/").pop()!)), text, counterpart, units);
    this.outbox.unshift(sent);
    return { message: sent, warnings: [] };
  }
  /** The draft a send names: it must still be there (sent from another terminal, it is not). */
  private draftToSend(id: string | null | undefined) {
    if (id == null) return null;
    const found = this.drafts.find((d) => d.id === id);
    if (!found) throw apiError("draft.already_sent", "この下書きは、ほかの端末で送信されたか削除されています。二重に送らないよう、送信一覧と下書き一覧を確認してください。");
    return found;
  }
  /** As the relay does, in the send's transaction: only once the send has been stored. */
  private removeDraft(id: string) {
    this.drafts = this.drafts.filter((d) => d.id !== id);
  }
  /** Messages stored by idempotency key, as the relay keeps them: a key used again answers the stored message. */
  private byKey = new Map<string, SendResponse>();
  sends: { to: string; sendKey: string | null }[] = [];
  sendFiles = (to: string, text: string, paths: string[], fromDraft: string | null, sendKey: string | null) =>
    this.call("sendFiles", () => {
      this.sends.push({ to, sendKey });
      const earlier = sendKey === null ? undefined : this.byKey.get(sendKey);
      if (earlier) return earlier;
      const draft = this.draftToSend(fromDraft);
      const sent = this.deliver(to, text, paths);
      if (draft) this.removeDraft(draft.id);
      if (sendKey !== null) this.byKey.set(sendKey, sent);
      return sent;
    });
  bulkSends: { paths: string[]; edits: BulkEdit[]; fromDraft: string | null; planKey: string | null }[] = [];
  /** Offices a bulk send refuses however often it is tried (until a test registers them). */
  refusedOffices = new Set<string>();
  bulkSend = (paths: string[], edits: BulkEdit[], fromDraft: string | null, planKey: string | null) =>
    this.call("bulkSend", () => {
      this.bulkSends.push({ paths, edits, fromDraft, planKey });
      const draft = this.draftToSend(fromDraft);
      // As the relay: attachments are routed by their part's 事業所番号, so a destination may have them alone.
      const routed = this.route(paths).destinations;
      const attachmentsOnly = edits
        .filter((e) => e.attachment_paths.length > 0 && !routed.some((d) => d.office_number === e.office_number))
        .map((e) => ({ office_number: e.office_number, office: this.office(e.office_number) ?? null, paths: [] as string[] }));
      const results = [...routed, ...attachmentsOnly].sort((a, b) => a.office_number.localeCompare(b.office_number)).map((d) => {
        const edit = edits.find((e) => e.office_number === d.office_number);
        const allPaths = [...d.paths, ...(edit?.attachment_paths ?? [])];
        const files = allPaths.map((p) => p.split("/").pop()!);
        if (!d.office || this.refusedOffices.has(d.office_number)) return { to: d.office_number, office_name: d.office?.name ?? null, files, message: null, error: this.unknownDestination(d.office_number) };
        // As the relay: each destination is keyed `<key>:<事業所番号>`.
        const key = planKey === null ? null : `${planKey}:${d.office_number}`;
        const stored = (key !== null ? this.byKey.get(key) : undefined) ?? this.deliver(d.office_number, edit?.message ?? "", allPaths);
        if (key !== null) this.byKey.set(key, stored);
        return { to: d.office_number, office_name: d.office.name, files, message: stored.message, error: null };
      });
      if (draft && results.some((r) => r.to === draft.to && r.error === null)) this.removeDraft(draft.id);
      return { results };
    });
  earlierSends = (to: string, sha256: string[]) =>
    this.call("earlierSends", (): EarlierSend[] => {
      const found: EarlierSend[] = [];
      for (const sent of this.outbox.filter((m) => m.counterpart.number === to)) {
        for (const f of sent.files) {
          if (sha256.includes(f.sha256) && !found.some((e) => e.sha256 === f.sha256)) found.push({ sha256: f.sha256, sent_at: sent.sent_at, message_id: sent.id });
        }
      }
      return found;
    });
  fetchFiles = (files: FileEntry[], folder: string | null) =>
    this.call("fetchFiles", () => {
      const fetched: FetchOutcome["fetched"] = [];
      const failed = [];
      for (const wanted of files) {
        // As the client: the row the screen shows says 済 already, or the fake's own record does.
        const entry = this.inbox.flatMap((m) => m.files).find((f) => f.id === wanted.id) ?? wanted;
        if (wanted.fetched_at || entry.fetched_at) {
          failed.push({ file_id: entry.id, name: entry.name, error: apiError("fetch.already_fetched", "既に取得済みです。") });
          continue;
        }
        this.progress.forEach((listener) => listener({ operation: "fetch", done: entry.size, total: entry.size }));
        entry.fetched_at = "2025-05-01T10:00:00+09:00";
        // A file whose name contains "SAME" finds its identical copy in the folder already.
        fetched.push({ file_id: entry.id, name: entry.name, saved_as: `${folder}/${entry.name}`, fetched_at: entry.fetched_at, already_there: entry.name.includes("SAME") });
      }
      // As the app: the note that データ取得 works once has done its job (never in practice).
      if (fetched.length > 0 && !this.practice) this.settings.fetch_explained = true;
      return { fetched, failed };
    });

  /**
   * What each file reads as (the Rust side's answer, from ui/src/forms/fixtures): by path for files
   * on disk, by file id for received ones, by draft id for a draft's.
   */
  readable = new Map<string, OpenedFiles>();
  /** Every source openFiles was given, in order. */
  openedSources: FileSource[] = [];
  openFiles = (source: FileSource) =>
    this.call("openFiles", () => {
      this.openedSources.push(source);
      const keys =
        source.from === "disk" ? source.paths : source.from === "received" ? source.files.map((f) => f.id) : source.from === "sent" ? source.messages.flatMap((m) => m.files.map((f) => f.id)) : [source.id];
      if (source.from !== "disk" && this.stage !== 2) throw apiError("session.required", "ログインしていません。ログインしてからもう一度操作してください。");
      const parts = keys.map((key) => this.readable.get(key));
      const found = parts.filter((p): p is OpenedFiles => p !== undefined);
      if (found.length === 0) throw apiError("open.nothing", "開けるファイルがありません。");
      // As the Rust side reads a send: every file, every unit, every finding (and nothing marked 済).
      return {
        ok: found.every((p) => p.ok),
        units: found.flatMap((p) => p.units),
        files: found.flatMap((p) => p.files),
        others: found.flatMap((p) => p.others),
        diagnostics: found.flatMap((p) => p.diagnostics),
      };
    });
  /** The 予実突合 the fake answers, or the refusal it gives. */
  reconciliation: Reconciliation | ApiError | null = null;
  reconciled: { plan: FileSource; actual: FileSource }[] = [];
  reconcileFiles = (plan: FileSource, actual: FileSource) =>
    this.call("reconcileFiles", () => {
      this.reconciled.push({ plan, actual });
      const answer = this.reconciliation;
      if (answer === null || "code" in answer) throw answer ?? apiError("reconcile.refused", "突合できるファイルがありません。");
      return answer;
    });
  /** Where the save dialog saves a 受領証; null: the user cancels it. */
  receiptSavedAs: string | null = "/home/user/受領証/受領証.json";
  /** The files whose 受領証 were saved, in order. */
  receiptsSaved: string[] = [];
  saveReceipt = (file: FileEntry) =>
    this.call("saveReceipt", () => {
      // As the relay answers: a file not yet taken has no receipt.
      if (file.fetched_at === null) throw apiError("receipt.not_issued", "このファイルの受領証はありません。相手先がまだデータ取得していないか、受領証を発行するようになる前に取得されたか、この事業所が送受信したファイルではありません。送信一覧のダウンロード状況を確認してください。");
      if (this.receiptSavedAs) this.receiptsSaved.push(file.id);
      return this.receiptSavedAs;
    });
  /** 送受信履歴 as the relay keeps it for this office, newest first. */
  historyEntries: HistoryEntry[] = [];
  historyReportLimit = 3000;
  historyCsvSavedAs: string | null = "/home/user/送受信履歴_20250401-20250430.csv";
  /** The queries CSVで保存 exported. */
  historyCsvSaved: HistoryQuery[] = [];
  private historyPage(query: HistoryQuery, whole: boolean): HistoryPage {
    checkHistoryQuery(query);
    const all = this.historyEntries.filter((e) => matchesHistory(e, query));
    const page = whole ? 1 : (query.page ?? 1);
    const perPage = whole ? Math.max(all.length, 1) : (query.per_page ?? 100);
    return {
      items: all.slice((page - 1) * perPage, page * perPage),
      total: all.length,
      page,
      per_page: perPage,
      from: query.from,
      to: query.to,
      receipt_key_id: "0123456789abcdef",
      generated_at: "2025-05-01T09:00:00+09:00",
    };
  }
  history = (query: HistoryQuery) => this.call("history", () => this.historyPage(query, false));
  historyReport = (query: HistoryQuery) =>
    this.call("historyReport", () => {
      const report = this.historyPage(query, true);
      if (report.total > this.historyReportLimit)
        throw apiError("history.too_many", `この期間の送受信は ${report.total} 件あり、一度に出力できる ${this.historyReportLimit} 件を超えています。期間を短くするか、相手先や種類で絞り込んでから出力してください。`);
      return report;
    });
  saveHistoryCsv = (query: HistoryQuery) =>
    this.call("saveHistoryCsv", () => {
      this.historyPage(query, true);
      if (this.historyCsvSavedAs) this.historyCsvSaved.push(query);
      return this.historyCsvSavedAs;
    });

  reconciliationSavedAs: string | null = "/home/user/予実突合_202504.csv";
  saveReconciliation = (plan: FileSource, actual: FileSource) =>
    this.call("saveReconciliation", () => {
      this.reconciled.push({ plan, actual });
      return this.reconciliationSavedAs;
    });

  drafts: (Draft & { paths: string[] })[] = [];
  listDrafts = () => this.call("listDrafts", () => this.drafts.map(({ paths: _paths, ...draft }) => draft));
  saveDraft = (id: string | null, to: string, text: string, paths: string[]) =>
    this.call("saveDraft", () => {
      const draft = {
        id: id ?? `d${this.drafts.length + 1}`,
        saved_at: "2025-05-02T09:00:00+09:00",
        terminal_name: this.settings.terminal_name,
        to,
        to_office: this.office(to) ?? null,
        message: text,
        files: paths.map((p, i) => ({ id: `df${i}`, name: p.split("/").pop()!, category: "register" as const, size: 100, sha256: fakeDigest(p.split("/").pop()!) })),
        ...(this.personalId ? { saved_by: { id: this.personalId, name: "" } } : {}),
        paths,
      };
      this.drafts = [draft, ...this.drafts.filter((d) => d.id !== draft.id)];
      const { paths: _paths, ...shown } = draft;
      return shown;
    });
  openDraft = (id: string) =>
    this.call("openDraft", () => {
      const found = this.drafts.find((d) => d.id === id);
      if (!found) throw apiError("draft.not_found", "この下書きは見つかりません。");
      const { paths, ...draft } = found;
      return { draft, paths };
    });
  checkDraft = (id: string) =>
    this.call("checkDraft", () => {
      const found = this.drafts.find((d) => d.id === id);
      if (!found) throw apiError("draft.not_found", "この下書きは見つかりません。");
      return this.check(found.paths);
    });
  deleteDraft = (id: string) =>
    this.call("deleteDraft", () => {
      if (!this.drafts.some((d) => d.id === id)) throw apiError("draft.not_found", "この下書きは見つかりません。");
      this.removeDraft(id);
    });
  sendDraft = (id: string) =>
    this.call("sendDraft", () => {
      // Sent already from this PC (a retry): the same message, as the relay answers it.
      const earlier = this.sentDrafts.get(id);
      if (earlier) return earlier;
      const draft = this.drafts.find((d) => d.id === id);
      if (!draft) throw apiError("draft.not_found", "指定された下書きはありません。下書き一覧を更新してください（ほかの端末で送信・削除された可能性があります）。");
      const sent = this.deliver(draft.to, draft.message, draft.paths);
      this.removeDraft(draft.id);
      this.sentDrafts.set(id, sent);
      return sent;
    });
  private sentDrafts = new Map<string, SendResponse>();

  /** Where the save dialog saves the log; null: the user cancels it. */
  logsSavedAs: string | null = "/home/user/デスクトップ/careplan-log-20250502.txt";
  saveLogs = () => this.call("saveLogs", () => this.logsSavedAs);

  openedFolders: string[] = [];
  openFolder = (path: string) => this.call("openFolder", () => { this.openedFolders.push(path); });
  chooseFolder = () => this.call("chooseFolder", () => this.folder);
  /** Where each file dialog started. */
  fileDialogsAt: (string | null)[] = [];
  chosenFiles = ["/home/user/certs/office.p12"];
  chooseFiles = (_extensions?: string[], defaultPath?: string | null) =>
    this.call("chooseFiles", () => {
      this.fileDialogsAt.push(defaultPath ?? null);
      return this.chosenFiles;
    });
  onFileDrop = (listener: (paths: string[]) => void) =>
    this.call("onFileDrop", () => {
      this.dropListeners.push(listener);
      return () => {
        this.dropListeners = this.dropListeners.filter((l) => l !== listener);
      };
    });
  onProgress = (listener: (e: TransferProgressEvent) => void) =>
    this.call("onProgress", () => {
      this.progress.push(listener);
      return () => {
        this.progress = this.progress.filter((l) => l !== listener);
      };
    });

  /** The feed as the Rust side last told it; `tellFeed` says more. */
  feed: FeedView | null = null;
  private feedListeners: ((view: FeedView) => void)[] = [];
  private autoFetchListeners: ((view: AutoFetchView) => void)[] = [];
  /** What the Rust side's feed tells the window (an arrival, a count, a lost connection). */
  tellFeed(view: FeedView) {
    this.feed = view;
    this.feedListeners.forEach((listener) => listener(view));
  }
  private openInboxListeners: (() => void)[] = [];
  /** A click on one of the app's notifications. */
  clickNotification() {
    this.openInboxListeners.forEach((listener) => listener());
  }
  onOpenInbox = (listener: () => void) =>
    this.call("onOpenInbox", () => {
      this.openInboxListeners.push(listener);
      return () => {
        this.openInboxListeners = this.openInboxListeners.filter((l) => l !== listener);
      };
    });
  tellAutoFetch(view: AutoFetchView) {
    this.autoFetchListeners.forEach((listener) => listener(view));
  }
  feedStatus = () => this.call("feedStatus", () => (this.loggedInAs ? this.feed : null));
  onFeed = (listener: (view: FeedView) => void) =>
    this.call("onFeed", () => {
      this.feedListeners.push(listener);
      return () => {
        this.feedListeners = this.feedListeners.filter((l) => l !== listener);
      };
    });
  onAutoFetch = (listener: (view: AutoFetchView) => void) =>
    this.call("onAutoFetch", () => {
      this.autoFetchListeners.push(listener);
      return () => {
        this.autoFetchListeners = this.autoFetchListeners.filter((l) => l !== listener);
      };
    });
}

const QUIET_HOURS_NOT_TIMES = "通知しない時間帯は、始まりと終わりの両方を「22:00」「07:00」のように時刻で入力してください（使わないときは両方とも空欄）。";
const QUIET_HOURS_SAME = "通知しない時間帯の始まりと終わりが同じ時刻です。違う時刻にしてください。";

/** The Rust side's reading of a time (resident/settings.rs): `22:00`, `7:00`, `２２：００`. */
function minutesOf(text: string): number | null {
  const half = text.trim().replace(/[０-９：]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const m = /^(\d{1,2}):(\d{2})$/.exec(half);
  return m && Number(m[1]) < 24 && Number(m[2]) < 60 ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** The Rust side's rule: both empty, or two different times; kept as HH:MM. */
function checkedQuietHours(resident: ResidentSettings): ResidentSettings {
  if (resident.quiet_from.trim() === "" && resident.quiet_until.trim() === "") return { ...resident, quiet_from: "", quiet_until: "" };
  const [from, until] = [minutesOf(resident.quiet_from), minutesOf(resident.quiet_until)];
  if (from === null || until === null) throw apiError("settings.quiet_hours", QUIET_HOURS_NOT_TIMES);
  if (from === until) throw apiError("settings.quiet_hours", QUIET_HOURS_SAME);
  const written = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
  return { ...resident, quiet_from: written(from), quiet_until: written(until) };
}

/** 受信通知 and 自動取得 as a new PC has them (the Rust side's defaults). */
export function defaultResident(): ResidentSettings {
  return {
    keep_running: true,
    keep_running_explained: false,
    start_at_sign_in: false,
    notify_arrivals: true,
    notify_taken: false,
    quiet_from: "",
    quiet_until: "",
    auto_fetch_folder: null,
    auto_fetch_subfolders: "none",
  };
}

/** A feed update as the Rust side sends one. */
export function feedView(change: Partial<FeedView> = {}): FeedView {
  return { status: "connected", unfetched_files: 0, arrived: [], taken: [], problem: null, ...change };
}

/**
 * The send units of checked standard files, by ファイル連番 (the name's last part), titled as the
 * Rust side titles them: a 第6表 unit by its 対象年月 (`UPPLAN_202505_…` → 2025年5月分).
 */
function unitsOf(files: FileCheck[]): UnitCheck[] {
  const bySerial = new Map<string, FileCheck[]>();
  for (const f of files.filter((f) => f.name.endsWith(".CSV") && !f.unreadable)) {
    const serial = f.name.replace(/\.CSV$/, "").split("_").pop()!;
    bySerial.set(serial, [...(bySerial.get(serial) ?? []), f]);
  }
  return [...bySerial].map(([serial, members]) => {
    const month = /^UP(?:PLAN|SIKYU|JSK)_(\d{4})(\d{2})_/.exec(members[0].name);
    const typeName = members[0].name.startsWith("UPJSK") ? "実績" : "サービス利用票（予定）";
    return {
      serial,
      type_name: typeName,
      // As the Rust side writes them: 「サービス利用票（予定）2025年5月分」, 「実績 2025年4月分」.
      title: month ? `${typeName}${typeName === "実績" ? " " : ""}${month[1]}年${Number(month[2])}月分` : typeName,
      people: members[0].people,
      files: members.map((f) => f.name),
      ok: members.every((f) => f.ok),
      diagnostics: [],
    };
  });
}
