// The app: 設定 on first start, then ログイン, then the office's screens under tabs. What is composed
// in 新規作成 and 一括送信 stays while the app runs (work/); what would drop it asks first.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { keepFocusInView } from "./components/focusInView";
import { logoUrl, productName } from "./branding";
import { useBackend } from "./backend/BackendContext";
import { ask, forgetOfficeData, queryKeys, useAppInfo, usePracticeStatus, useSettings } from "./backend/queries";
import type { ApiError } from "./bindings/ApiError";
import type { AppInfo } from "./bindings/AppInfo";
import type { Office } from "./bindings/Office";
import type { PracticeView } from "./bindings/PracticeView";
import { useFeed } from "./backend/feed";
import { ConfirmDialog } from "./components/ConfirmDialog";
import { FeedNote } from "./components/FeedNote";
import { ErrorAlert } from "./components/ErrorAlert";
import { Loaded, Loading } from "./components/Loaded";
import { Tabs } from "./components/Tabs";
import { ja } from "./i18n";
import { LoginScreen } from "./screens/LoginScreen";
import { PracticeBanner } from "./components/PracticeBanner";
import { TutorialOverlay, useTutorial } from "./tutorial/TutorialOverlay";
import { BulkSendScreen } from "./screens/BulkSendScreen";
import { DraftsScreen } from "./screens/DraftsScreen";
import { HistoryScreen } from "./screens/HistoryScreen";
import { MessageList } from "./screens/MessageList";
import { NewMessageScreen } from "./screens/NewMessageScreen";
import { OpenFilesScreen } from "./screens/OpenFilesScreen";
import { ReconcileScreen } from "./screens/ReconcileScreen";
import { SettingsScreen } from "./screens/SettingsScreen";
import { TopPage } from "./screens/TopPage";
import { tour, type TourEvent } from "./tutorial/targets";
import { tourEvent, useTourHold } from "./tutorial/events";
import { useWork } from "./work/WorkContext";
import { bulkFromDraft, bulkHasWork, composeHasWork, emptyCompose } from "./work/work";

type Tab = "top" | "inbox" | "outbox" | "compose" | "drafts" | "bulk" | "open" | "reconcile" | "history" | "settings";
const TABS: Tab[] = ["top", "inbox", "outbox", "compose", "drafts", "bulk", "open", "reconcile", "history", "settings"];
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

/** A tab's name; 受信一覧 with the count of files waiting, as the feed last told it. */
function tabLabel(tab: Tab, unfetched: number) {
  if (tab !== "inbox" || unfetched === 0) return ja.tabs[tab];
  return (
    <>
      {ja.tabs.inbox}
      <span className="badge" aria-label={ja.feed.badge(unfetched)}>
        {unfetched}
      </span>
    </>
  );
}

/** An action that would drop work in progress, waiting for the user's answer. */
type Pending = { what: "compose" | "bulk" | "both"; go: () => void };

export function App() {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const info = useAppInfo();
  const work = useWork();
  // Without them the app still works: データ取得 asks for a folder, and 練習モード is off.
  const settings = useSettings().data;
  const saveFolder = settings?.save_folder ?? null;
  const practiceStatus = usePracticeStatus();
  const practice = practiceStatus.data ?? null;
  const [office, setOffice] = useState<Office | null>(null);
  const [showSettings, setShowSettings] = useState(false);
  // A PC being set up stays in 設定 until ログイン画面へ, so that the last step's confirmation (the
  // certificate taken) is read rather than cut off by the login screen.
  const [settingUp, setSettingUp] = useState(false);
  if (info.data && !info.data.ready_to_log_in && !settingUp) setSettingUp(true);
  const [tab, setTab] = useState<Tab>("top");
  const [tutorialOpen, setTutorialOpen] = useState(false);
  const [tutorial, tutorialDispatch] = useTutorial();
  const [pending, setPending] = useState<Pending | null>(null);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [switchError, setSwitchError] = useState<ApiError | null>(null);
  // Logged in, both login stages are done.
  useTourHold("login-stage1", office !== null);
  useTourHold("logged-in", office !== null);
  useTourHold(`tab-${tab}` as TourEvent, office !== null && TAB_TOUR[tab] !== undefined);

  useEffect(() => keepFocusInView(), []);
  const feed = useFeed(office !== null);
  // A click on a notification of an arrival: 受信一覧, once logged in.
  const loggedIn = office !== null;
  useEffect(() => {
    if (!loggedIn) return;
    let stop: (() => void) | null = null;
    let gone = false;
    void backend
      .onOpenInbox(() => {
        setTab("inbox");
        tourEvent("tab-inbox");
      })
      .then((unlisten) => (gone ? unlisten() : (stop = unlisten)))
      .catch(() => undefined);
    return () => {
      gone = true;
      stop?.();
    };
  }, [loggedIn, backend]);
  const unfetched = feed.feed?.unfetched_files ?? 0;

  // Whenever no office is logged in, nothing read for the last one is kept, nor what was composed.
  const { clear: clearWork } = work;
  useEffect(() => {
    if (office === null) {
      forgetOfficeData(queryClient);
      clearWork();
    }
  }, [office, queryClient, clearWork]);

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

  /** Runs `go`, after asking when it would drop work of `areas` that is in progress. */
  function unlessWorkIsLost(areas: ("compose" | "bulk")[], go: () => void) {
    const compose = areas.includes("compose") && composeHasWork(work.compose);
    const bulk = areas.includes("bulk") && bulkHasWork(work.bulk);
    if (!compose && !bulk) return go();
    setSaveError(null);
    setPending({ what: compose && bulk ? "both" : compose ? "compose" : "bulk", go });
  }

  async function saveComposeThenGo(go: () => void) {
    const { to, message, paths, draftId } = work.compose;
    try {
      if (to.trim() === "") throw { code: "ui.no_destination", message: ja.unsaved.saveNeedsDestination, diagnostics: [] };
      await ask(() => backend.saveDraft(draftId, to.trim(), message, paths));
      void queryClient.invalidateQueries({ queryKey: queryKeys.drafts });
      setPending(null);
      go();
    } catch (error) {
      setSaveError(error as ApiError);
    }
  }

  function logout() {
    unlessWorkIsLost(["compose", "bulk"], async () => {
      await backend.logout().catch(() => undefined);
      setOffice(null);
      setTab("top");
    });
  }

  function openTab(t: Tab) {
    setTab(t);
    if (TAB_TOUR[t]) tourEvent(`tab-${t}` as TourEvent);
  }

  /** 下書き一覧's 開く: the draft becomes what 新規作成 holds. */
  function openDraft(id: string) {
    unlessWorkIsLost(["compose"], async () => {
      setSwitchError(null);
      try {
        const opened = await ask(() => backend.openDraft(id));
        work.updateCompose(() => ({
          ...emptyCompose(),
          paths: opened.paths,
          to: opened.draft.to,
          confirmed: opened.draft.to,
          message: opened.draft.message,
          draftId: opened.draft.id,
          savedAsDraft: true,
        }));
        setTab("compose");
      } catch (error) {
        setSwitchError(error as ApiError);
      }
    });
  }

  /** 下書き一覧's 一括送信へ: the draft becomes the plan of 一括送信. */
  function draftToBulk(id: string) {
    unlessWorkIsLost(["bulk"], async () => {
      setSwitchError(null);
      try {
        const opened = await ask(() => backend.openDraft(id));
        const plan = await ask(() => backend.planBulk(opened.paths));
        work.updateBulk(() => bulkFromDraft(opened, plan));
        setTab("bulk");
      } catch (error) {
        setSwitchError(error as ApiError);
      }
    });
  }

  /** 新規作成's files for several offices: 一括送信 takes them over. */
  function composeToBulk(paths: string[]) {
    work.updateBulk((b) => ({ ...b, paths: [...b.paths, ...paths.filter((p) => !b.paths.includes(p))] }));
    work.updateCompose((c) => ({ ...c, paths: c.paths.filter((p) => !paths.includes(p)), to: "", confirmed: null, toFromFiles: false }));
    openTab("bulk");
  }

  const filesFolder = practice?.sample_folder ?? null;
  function screenFor(app: AppInfo) {
    if (practiceWork) return <Loading text={practiceWork} />;
    if (!office && !practice && (!app.ready_to_log_in || showSettings || settingUp))
      return (
        <SettingsScreen
          firstRun={!app.ready_to_log_in}
          onStartPractice={startPractice}
          onDone={() => {
            setShowSettings(false);
            setSettingUp(false);
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
      <Tabs tabs={TABS} selected={tab} label={ja.app.tabsLabel} tabLabel={(t) => tabLabel(t, unfetched)} onOpen={openTab} tabAttributes={(t) => TAB_TOUR[t] ?? {}} listAttributes={tour("tabs")}>
        <FeedNote {...feed} />
        <ErrorAlert error={switchError} />
        {tab === "top" && <TopPage onOpenInbox={() => openTab("inbox")} />}
        {tab === "inbox" && <MessageList mailbox="inbox" saveFolder={saveFolder} practiceFolder={practice ? saveFolder : null} fetchExplained={settings?.fetch_explained ?? false} />}
        {tab === "outbox" && <MessageList mailbox="outbox" />}
        {tab === "compose" && <NewMessageScreen onToBulk={composeToBulk} filesFolder={filesFolder} />}
        {tab === "drafts" && <DraftsScreen onOpen={openDraft} onToBulk={draftToBulk} />}
        {tab === "bulk" && <BulkSendScreen filesFolder={filesFolder} />}
        {tab === "open" && <OpenFilesScreen filesFolder={filesFolder ?? saveFolder} />}
        {tab === "reconcile" && <ReconcileScreen filesFolder={filesFolder ?? saveFolder} />}
        {tab === "history" && <HistoryScreen office={office} />}
        {tab === "settings" && <SettingsScreen />}
      </Tabs>
    );
  }

  const body = <Loaded query={info}>{screenFor}</Loaded>;
  return (
    <>
      <a className="skip-link" href="#content">
        {ja.app.skipToContent}
      </a>
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
            tutorialDispatch({ type: "restart" });
            changePractice({ change: () => backend.stopPractice().then(() => null), working: ja.app.loading });
          }}
          onTutorial={() => setTutorialOpen(true)}
          onOpenSamples={() => void backend.openFolder(practice.sample_folder).catch(() => undefined)}
        />
      )}
      {practice && tutorialOpen && <TutorialOverlay state={tutorial} dispatch={tutorialDispatch} onClose={() => setTutorialOpen(false)} />}
      {office ? body : <main id="content" tabIndex={-1}>{body}</main>}
      {pending && (
        <ConfirmDialog
          heading={ja.unsaved.heading}
          onCancel={() => setPending(null)}
          actions={[
            ...(pending.what !== "bulk" ? [{ label: ja.unsaved.saveAndGo, onClick: () => void saveComposeThenGo(pending.go), primary: true }] : []),
            {
              label: ja.unsaved.discardAndGo,
              onClick: () => {
                setPending(null);
                pending.go();
              },
              primary: pending.what === "bulk",
            },
            { label: ja.unsaved.cancel, onClick: () => setPending(null) },
          ]}
        >
          {pending.what !== "bulk" && <p>{ja.unsaved.composeLost}</p>}
          {pending.what !== "compose" && <p>{ja.unsaved.bulkLost}</p>}
          <ErrorAlert error={saveError} />
        </ConfirmDialog>
      )}
    </>
  );
}
