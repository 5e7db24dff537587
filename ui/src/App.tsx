// The app: 設定 on first start, then ログイン, then the office's screens under tabs.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { logoUrl, productName } from "./branding";
import { useBackend } from "./backend/BackendContext";
import { ask, forgetOfficeData, queryKeys, useAppInfo, usePracticeStatus, useSettings } from "./backend/queries";
import type { AppInfo } from "./bindings/AppInfo";
import type { Office } from "./bindings/Office";
import type { OpenedDraft } from "./bindings/OpenedDraft";
import type { PracticeView } from "./bindings/PracticeView";
import { Loaded, Loading } from "./components/Loaded";
import { Tabs } from "./components/Tabs";
import { ja } from "./i18n";
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
  const queryClient = useQueryClient();
  const info = useAppInfo();
  // Without them the app still works: データ取得 asks for a folder, and 練習モード is off.
  const saveFolder = useSettings().data?.save_folder ?? null;
  const practiceStatus = usePracticeStatus();
  const practice = practiceStatus.data ?? null;
  const [office, setOffice] = useState<Office | null>(null);
  const [showSettings, setShowSettings] = useState(false);
  const [tab, setTab] = useState<Tab>("top");
  // A draft opened from 下書き一覧, shown in 新規作成; the key makes 新規作成 start afresh for it.
  const [openedDraft, setOpenedDraft] = useState<OpenedDraft | null>(null);
  // A draft switched to 一括送信 from 下書き一覧.
  const [bulkDraft, setBulkDraft] = useState<OpenedDraft | null>(null);
  const [tutorialOpen, setTutorialOpen] = useState(false);

  // Whenever no office is logged in, nothing read for the last one is kept.
  useEffect(() => {
    if (office === null) forgetOfficeData(queryClient);
  }, [office, queryClient]);

  /** The settings and what follows from them, read again (after 設定, or a change of 練習モード). */
  const reread = () => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.appInfo });
    void queryClient.invalidateQueries({ queryKey: queryKeys.settings });
  };

  // 練習モード: started, reset or left; each logs out and reloads what the screens show.
  const practiceChange = useMutation({
    mutationFn: ({ change }: { change: () => Promise<PracticeView | null>; working: string }) => ask(change),
    // The settings change with practice (its relay, its IDs): the change counts as done only once they
    // are read again, so that the login screen never starts from the ones of before.
    onSuccess: async (view) => {
      await Promise.all([
        queryClient.refetchQueries({ queryKey: queryKeys.appInfo }),
        queryClient.refetchQueries({ queryKey: queryKeys.settings }),
      ]);
      queryClient.setQueryData(queryKeys.practice, view);
      setOffice(null);
      setShowSettings(false);
      setTab("top");
    },
  });
  const { mutate: changePractice } = practiceChange;
  const practiceWork = practiceChange.isPending ? practiceChange.variables.working : null;
  const startPractice = () => changePractice({ change: () => backend.startPractice(), working: ja.practice.starting });

  // Started with --practice: straight into practice mode, once.
  const practiceAsked = useRef(false);
  const practiceRequested = info.data?.practice_requested === true && !practiceStatus.isPending && practice === null;
  useEffect(() => {
    if (!practiceRequested || practiceAsked.current) return;
    practiceAsked.current = true;
    changePractice({ change: () => backend.startPractice(), working: ja.practice.starting });
  }, [practiceRequested, changePractice, backend]);

  async function logout() {
    await backend.logout().catch(() => undefined);
    setOffice(null);
    setTab("top");
  }

  function openTab(t: Tab) {
    setTab(t);
    setOpenedDraft(null);
    setBulkDraft(null);
    if (t !== "settings") tourEvent(`tab-${t}`);
  }

  function screenFor(app: AppInfo) {
    if (practiceWork) return <Loading text={practiceWork} />;
    if (!office && !practice && (!app.ready_to_log_in || showSettings))
      return (
        <SettingsScreen
          firstRun={!app.ready_to_log_in}
          onStartPractice={startPractice}
          onDone={() => {
            setShowSettings(false);
            reread();
          }}
        />
      );
    if (!office)
      return (
        <LoginScreen
          key={practice?.sample_folder ?? "real"}
          practice={practice}
          practiceError={practiceChange.error}
          onStartPractice={startPractice}
          onLoggedIn={setOffice}
          onOpenSettings={() => setShowSettings(true)}
        />
      );
    return (
      <Tabs tabs={TABS} selected={tab} label={ja.app.tabsLabel} tabLabel={(t) => ja.tabs[t]} onOpen={openTab} tabAttributes={(t) => TAB_TOUR[t] ?? {}} listAttributes={tour("tabs")}>
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
      </Tabs>
    );
  }

  const body = <Loaded query={info}>{screenFor}</Loaded>;
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
          onReset={() => changePractice({ change: () => backend.resetPractice(), working: ja.practice.resetting })}
          onLeave={() => {
            setTutorialOpen(false);
            changePractice({ change: () => backend.stopPractice().then(() => null), working: ja.app.loading });
          }}
          onTutorial={() => setTutorialOpen(true)}
        />
      )}
      {practice && tutorialOpen && <TutorialOverlay onClose={() => setTutorialOpen(false)} />}
      {office ? body : <main>{body}</main>}
    </>
  );
}
