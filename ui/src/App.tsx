// The app: 設定 on first start, then ログイン, then the office's screens under tabs.
import { useCallback, useEffect, useState } from "react";
import { asApiError } from "./backend/Backend";
import { logoUrl, productName } from "./branding";
import { useBackend } from "./backend/BackendContext";
import type { ApiError } from "./bindings/ApiError";
import type { AppInfo } from "./bindings/AppInfo";
import type { Office } from "./bindings/Office";
import type { OpenedDraft } from "./bindings/OpenedDraft";
import type { PracticeView } from "./bindings/PracticeView";
import { ErrorAlert } from "./components/ErrorAlert";
import { ServiceKindsProvider } from "./components/ServiceKinds";
import { ja } from "./i18n/ja";
import { LoginScreen } from "./screens/LoginScreen";
import { PracticeBanner } from "./components/PracticeBanner";
import { TutorialOverlay } from "./tutorial/TutorialOverlay";
import { BulkSendScreen } from "./screens/BulkSendScreen";
import { DraftsScreen } from "./screens/DraftsScreen";
import { MessageList } from "./screens/MessageList";
import { NewMessageScreen } from "./screens/NewMessageScreen";
import { SettingsScreen } from "./screens/SettingsScreen";
import { TopPage } from "./screens/TopPage";
import { tour } from "./tutorial/targets";
import { tourEvent } from "./tutorial/events";

type Tab = "top" | "inbox" | "outbox" | "compose" | "drafts" | "bulk" | "settings";
const TABS: Tab[] = ["top", "inbox", "outbox", "compose", "drafts", "bulk", "settings"];
// Where the tutorial can point at each tab. Written out rather than built from the tab's name: the
// check that every tutorial target is marked on a screen reads these tour("…") calls.
const TAB_TOUR: Partial<Record<Tab, ReturnType<typeof tour>>> = {
  top: tour("tab-top"),
  inbox: tour("tab-inbox"),
  outbox: tour("tab-outbox"),
  compose: tour("tab-compose"),
  drafts: tour("tab-drafts"),
  bulk: tour("tab-bulk"),
};

export function App() {
  const backend = useBackend();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [office, setOffice] = useState<Office | null>(null);
  const [showSettings, setShowSettings] = useState(false);
  const [tab, setTab] = useState<Tab>("top");
  const [saveFolder, setSaveFolder] = useState<string | null>(null);
  // A draft opened from 下書き一覧, shown in 新規作成; the key makes 新規作成 start afresh for it.
  const [openedDraft, setOpenedDraft] = useState<OpenedDraft | null>(null);
  // A draft switched to 一括送信 from 下書き一覧.
  const [bulkDraft, setBulkDraft] = useState<OpenedDraft | null>(null);
  const [practice, setPractice] = useState<PracticeView | null>(null);
  const [practiceWork, setPracticeWork] = useState<string | null>(null);
  const [practiceError, setPracticeError] = useState<ApiError | null>(null);
  const [practiceAsked, setPracticeAsked] = useState(false);
  const [tutorialOpen, setTutorialOpen] = useState(false);

  const refresh = useCallback(() => {
    backend.appInfo().then(setInfo, (e) => setError(asApiError(e)));
    backend.getSettings().then((s) => setSaveFolder(s.save_folder), () => undefined);
    backend.practiceStatus().then(setPractice, () => undefined);
  }, [backend]);

  useEffect(refresh, [refresh]);

  // 練習モード: started, reset or left; each logs out and reloads what the screens show.
  const practiseWith = useCallback(
    async (action: () => Promise<PracticeView | null>, working: string) => {
      setPracticeWork(working);
      setPracticeError(null);
      try {
        setPractice(await action());
        setOffice(null);
        setShowSettings(false);
        setTab("top");
        refresh();
      } catch (e) {
        setPracticeError(asApiError(e));
      } finally {
        setPracticeWork(null);
      }
    },
    [refresh],
  );
  const startPractice = useCallback(() => practiseWith(() => backend.startPractice(), ja.practice.starting), [backend, practiseWith]);

  // Started with --practice: straight into practice mode, once.
  useEffect(() => {
    if (info?.practice_requested && !practice && !practiceAsked) {
      setPracticeAsked(true);
      void startPractice();
    }
  }, [info, practice, practiceAsked, startPractice]);

  async function logout() {
    await backend.logout().catch(() => undefined);
    setOffice(null);
    setTab("top");
  }

  let body;
  if (error) body = <ErrorAlert error={error} />;
  else if (!info) body = <p className="muted">{ja.app.loading}</p>;
  else if (practiceWork) body = <p className="muted" role="status">{practiceWork}</p>;
  else if (!office && !practice && (!info.ready_to_log_in || showSettings))
    body = (
      <SettingsScreen
        firstRun={!info.ready_to_log_in}
        onStartPractice={startPractice}
        onDone={() => {
          setShowSettings(false);
          refresh();
        }}
      />
    );
  else if (!office)
    body = (
      <LoginScreen
        key={practice?.sample_folder ?? "real"}
        practice={practice}
        practiceError={practiceError}
        onStartPractice={startPractice}
        onLoggedIn={setOffice}
        onOpenSettings={() => setShowSettings(true)}
      />
    );
  else
    body = (
      <ServiceKindsProvider>
        <nav className="tabs" role="tablist" {...tour("tabs")}>
          {TABS.map((t) => (
            <button key={t} role="tab" aria-selected={tab === t} {...TAB_TOUR[t]} onClick={() => { setTab(t); setOpenedDraft(null); setBulkDraft(null); refresh(); if (t !== "settings") tourEvent(`tab-${t}`); }}>
              {ja.tabs[t]}
            </button>
          ))}
        </nav>
        <main>
          {tab === "top" && <TopPage />}
          {tab === "inbox" && <MessageList mailbox="inbox" saveFolder={saveFolder} practiceFolder={practice ? saveFolder : null} />}
          {tab === "outbox" && <MessageList mailbox="outbox" />}
          {tab === "compose" && <NewMessageScreen key={openedDraft?.draft.id ?? "new"} draft={openedDraft} />}
          {tab === "drafts" && (
            <DraftsScreen
              onOpen={(draft) => {
                setOpenedDraft(draft);
                setTab("compose");
              }}
              onToBulk={(draft) => {
                setBulkDraft(draft);
                setTab("bulk");
              }}
            />
          )}
          {tab === "bulk" && <BulkSendScreen key={bulkDraft?.draft.id ?? "new"} fromDraft={bulkDraft} />}
          {tab === "settings" && <SettingsScreen />}
        </main>
      </ServiceKindsProvider>
    );

  return (
    <>
      <header className="app-header">
        <img className="app-logo" src={logoUrl} alt="" />
        <h1>{productName}</h1>
        <span className="office">{office ? ja.app.officeLabel(office.name, office.number) : ""}</span>
        {office && (
          <button className="button secondary" onClick={logout}>
            {ja.app.logout}
          </button>
        )}
      </header>
      {practice && (
        <PracticeBanner
          practice={practice}
          busy={practiceWork !== null}
          onReset={() => practiseWith(() => backend.resetPractice(), ja.practice.resetting)}
          onLeave={() => {
            setTutorialOpen(false);
            void practiseWith(() => backend.stopPractice().then(() => null), ja.app.loading);
          }}
          onTutorial={() => setTutorialOpen(true)}
        />
      )}
      {practice && tutorialOpen && <TutorialOverlay onClose={() => setTutorialOpen(false)} />}
      {office ? body : <main>{body}</main>}
    </>
  );
}
