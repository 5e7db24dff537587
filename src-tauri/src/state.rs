//! What the running app holds: its folders, the settings, and the connection to the relay while
//! someone is logged in.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use careplan_client::sent_copies::SentCopies;
use careplan_client::{vault, ClientIdentity, RelayAddress, RelayClient};

use crate::error::{CommandError, CommandResult};
use crate::practice::{self, Practice};
use crate::resident::{FeedView, SessionTask};
use crate::settings::Settings;

/// Where the app keeps its files.
#[derive(Debug, Clone)]
pub struct AppDirs {
    /// `settings.json` and the imported certificates.
    pub config: PathBuf,
    /// Draft files opened for editing.
    pub cache: PathBuf,
    /// The log, one file a day (see `logs`).
    pub logs: PathBuf,
    /// What the app keeps for the office: the copies of what it sent (`sent/`).
    pub data: PathBuf,
}

impl AppDirs {
    pub fn under(root: &Path) -> AppDirs {
        AppDirs {
            config: root.join("config"),
            cache: root.join("cache"),
            logs: root.join("logs"),
            data: root.join("data"),
        }
    }

    pub fn settings_file(&self) -> PathBuf {
        self.config.join("settings.json")
    }

    pub fn certificates(&self) -> PathBuf {
        self.config.join("certificates")
    }
}

pub struct AppState {
    pub dirs: AppDirs,
    pub settings: Mutex<Settings>,
    /// The connection, from stage 1 of the login until logout.
    session: Mutex<Option<Session>>,
    /// 練習モード, while it runs: its settings replace the real ones.
    practice: Mutex<Option<Practice>>,
    /// The office's feed as last told (for a screen that opens after the update).
    feed_view: Mutex<Option<FeedView>>,
    /// Counts sessions started and ended: a feed belongs to the session of its generation, and
    /// what it tells after its session ended (a logout, another login) is dropped.
    session_generation: AtomicU64,
    /// Certificates' passwords the OS keyring could not keep, by the keyring's key: kept only while
    /// the app runs (never in a file), so that an import without a keyring still works until then.
    unsaved_passwords: Mutex<HashMap<String, String>>,
}

struct Session {
    client: RelayClient,
    /// Between the two stages of the login.
    stage_token: Option<String>,
    /// The office logged in as (事業所番号), once both stages are done.
    office: Option<String>,
    /// Its change feed and practice's arrival, from the login on; stop when the session goes.
    tasks: Vec<SessionTask>,
}

impl AppState {
    pub fn new(dirs: AppDirs, default_terminal: &str) -> AppState {
        let settings = Settings::load(&dirs.settings_file(), default_terminal);
        AppState {
            dirs,
            settings: Mutex::new(settings),
            session: Mutex::new(None),
            practice: Mutex::new(None),
            feed_view: Mutex::new(None),
            session_generation: AtomicU64::new(0),
            unsaved_passwords: Mutex::new(HashMap::new()),
        }
    }

    /// The settings in use: the practice ones while practising.
    pub fn settings(&self) -> Settings {
        if let Some(practice) = self.practice.lock().expect("practice lock").as_ref() {
            return practice.settings.clone();
        }
        self.settings.lock().expect("settings lock").clone()
    }

    pub fn is_practising(&self) -> bool {
        self.practice.lock().expect("practice lock").is_some()
    }

    /// Changes the real settings and writes them; when they cannot be written, nothing changes.
    /// The log says which fields changed.
    pub fn change_settings(&self, change: impl FnOnce(&mut Settings)) -> CommandResult<Settings> {
        let mut settings = self.settings.lock().expect("settings lock");
        let mut updated = settings.clone();
        change(&mut updated);
        updated.save(&self.dirs.settings_file())?;
        let changed = settings.changed_fields(&updated);
        if !changed.is_empty() {
            tracing::info!(fields = ?changed, "settings saved");
        }
        *settings = updated.clone();
        Ok(updated)
    }

    /// The copies of what the logged-in office sent from this PC: under practice's own folder
    /// while practising, so a classroom never writes into an office's copies.
    pub fn sent_copies(&self) -> Option<SentCopies> {
        let office = self.logged_in_office()?;
        SentCopies::of_office(&self.office_data_dir().join("sent"), &office)
    }

    /// Refuses a change to the real settings while practising.
    pub fn refuse_in_practice(&self) -> CommandResult<()> {
        match self.is_practising() {
            true => Err(practice::settings_locked()),
            false => Ok(()),
        }
    }

    /// Switches to practice (or to a fresh one): whoever was logged in is logged out, and the
    /// previous practice's relay and data go.
    pub fn enter_practice(&self, practice: Practice) -> crate::views::PracticeView {
        self.end_session();
        let view = practice.view.clone();
        *self.practice.lock().expect("practice lock") = Some(practice);
        view
    }

    /// Leaves practice: logged out, its relay stopped and its data deleted.
    pub fn leave_practice(&self) {
        self.end_session();
        self.practice.lock().expect("practice lock").take();
    }

    pub fn practice_view(&self) -> Option<crate::views::PracticeView> {
        self.practice
            .lock()
            .expect("practice lock")
            .as_ref()
            .map(|practice| practice.view.clone())
    }

    /// The relay's CA as 設定 imported it (PEM): what the relay's and the portal's servers chain to.
    pub fn ca_pem(settings: &Settings) -> CommandResult<Vec<u8>> {
        let ca = settings.ca_certificate.as_ref().ok_or_else(|| {
            CommandError::new(
                "settings.incomplete",
                "認証局の証明書が設定されていません。設定画面で取り込んでください。",
            )
        })?;
        std::fs::read(ca).map_err(|e| {
            tracing::warn!(error = %e, "the CA certificate cannot be read");
            CommandError::new(
                "settings.ca",
                "認証局の証明書を読めません。設定画面の「詳細設定」で取り込み直してください。",
            )
        })
    }

    /// Keeps a certificate's password for this run only: the keyring could not take it.
    pub fn keep_unsaved_password(&self, key: &str, password: Option<String>) {
        let mut kept = self.unsaved_passwords.lock().expect("passwords lock");
        match password {
            Some(password) => kept.insert(key.to_owned(), password),
            None => kept.remove(key),
        };
    }

    /// The certificate's password: kept for this run, or from the keyring.
    fn certificate_password(&self, certificate: &Path) -> CommandResult<Option<String>> {
        let key = certificate_key(certificate);
        if let Some(kept) = self
            .unsaved_passwords
            .lock()
            .expect("passwords lock")
            .get(&key)
        {
            return Ok(Some(kept.clone()));
        }
        Ok(vault::password(vault::SecretKind::Certificate, &key)?)
    }

    /// The 事業所番号 of a certificate already imported (`None` when it cannot be read).
    pub fn office_of_certificate(&self, path: &Path) -> Option<String> {
        let password = if careplan_client::is_pkcs12(path) {
            self.certificate_password(path).ok().flatten()
        } else {
            None
        };
        ClientIdentity::load(path, password.as_deref())
            .ok()?
            .summary()
            .ok()?
            .office_number
    }

    /// A new connection as the settings describe it: relay, CA, and the certificate with its
    /// password from the keyring.
    pub fn connect(&self) -> CommandResult<RelayClient> {
        // 設定 in its order: a PC not set up yet is told the 接続先, then the CA, then the certificate.
        Self::relay_url(&self.settings())?;
        AppState::ca_pem(&self.settings())?;
        let certificate = self.settings().certificate.ok_or_else(|| {
            CommandError::new(
                "certificate.missing",
                "電子証明書が設定されていません。設定画面で事業所の電子証明書を取り込んでください。",
            )
        })?;
        let certificate = PathBuf::from(certificate);
        // Only a .p12 has a password; a PEM certificate works even without a keyring.
        let password = if careplan_client::is_pkcs12(&certificate) {
            self.certificate_password(&certificate)?
        } else {
            None
        };
        let identity = ClientIdentity::load(&certificate, password.as_deref())?;
        self.connect_as(identity)
    }

    /// The relay's URL as set, or what to do when it is not.
    fn relay_url(settings: &Settings) -> CommandResult<&str> {
        match settings.relay_url.trim() {
            "" => Err(CommandError::new(
                "settings.incomplete",
                "接続先が設定されていません。設定画面で接続先（URL）を入力してください。",
            )),
            url => Ok(url),
        }
    }

    /// A connection to the relay of the settings with this certificate (one not imported yet, to
    /// ask the register whose it is).
    pub fn connect_as(&self, identity: ClientIdentity) -> CommandResult<RelayClient> {
        let settings = self.settings();
        Self::relay_url(&settings)?;
        let ca_pem = AppState::ca_pem(&settings)?;
        Ok(RelayClient::new(
            &RelayAddress {
                url: settings.relay_url,
                ca_pem,
            },
            identity,
        )?)
    }

    pub fn start_session(&self, client: RelayClient, stage_token: String) {
        self.session_generation.fetch_add(1, Ordering::SeqCst);
        *self.session.lock().expect("session lock") = Some(Session {
            client,
            stage_token: Some(stage_token),
            office: None,
            tasks: Vec::new(),
        });
    }

    /// The connection waiting for stage 2, and its token.
    pub fn pending_stage(&self) -> CommandResult<(RelayClient, String)> {
        let guard = self.session.lock().expect("session lock");
        match guard.as_ref() {
            Some(Session {
                client,
                stage_token: Some(token),
                ..
            }) => Ok((client.clone(), token.clone())),
            _ => Err(CommandError::new(
                "auth.stage_required",
                "先に個人ユーザIDでログインしてください。",
            )),
        }
    }

    pub fn finish_login(&self, office: &str) {
        if let Some(session) = self.session.lock().expect("session lock").as_mut() {
            session.stage_token = None;
            session.office = Some(office.to_owned());
        }
    }

    /// The office logged in as, if any (a file must be sent from it).
    pub fn logged_in_office(&self) -> Option<String> {
        let guard = self.session.lock().expect("session lock");
        guard
            .as_ref()
            .filter(|s| s.client.is_logged_in())
            .and_then(|s| s.office.clone())
    }

    /// The logged-in connection.
    pub fn client(&self) -> CommandResult<RelayClient> {
        let guard = self.session.lock().expect("session lock");
        match guard.as_ref() {
            Some(session) if session.client.is_logged_in() => Ok(session.client.clone()),
            _ => Err(CommandError::not_logged_in()),
        }
    }

    /// Ends the session: its feed stops with it, and nothing it still tells is kept.
    pub fn end_session(&self) -> Option<RelayClient> {
        self.session_generation.fetch_add(1, Ordering::SeqCst);
        let ended = self.session.lock().expect("session lock").take();
        // Dropped (the feed's task aborted) before its last word is cleared.
        let client = ended.map(|s| s.client);
        self.feed_view.lock().expect("feed lock").take();
        client
    }

    /// The session now, as a number that changes with each login and logout.
    pub fn session_generation(&self) -> u64 {
        self.session_generation.load(Ordering::SeqCst)
    }

    /// Keeps `task` running with its session, if that session (`generation`) is still the one
    /// logged in; dropped (stopped) otherwise.
    pub fn attach_task(&self, task: SessionTask, generation: u64) {
        let mut session = self.session.lock().expect("session lock");
        if self.session_generation() != generation {
            return;
        }
        if let Some(session) = session.as_mut() {
            session.tasks.push(task);
        }
    }

    /// 練習モード's arrival a little after the trainee's login; none outside practice.
    pub fn practice_arrival(&self) -> Option<SessionTask> {
        self.practice
            .lock()
            .expect("practice lock")
            .as_ref()
            .map(|practice| SessionTask::new(practice.arrival_after_login()))
    }

    /// The feed's word, kept when its session (`generation`) is still the one logged in; answers
    /// whether it was.
    pub fn set_feed_view(&self, view: FeedView, generation: u64) -> bool {
        let mut kept = self.feed_view.lock().expect("feed lock");
        if self.session_generation() != generation {
            return false;
        }
        *kept = Some(view);
        true
    }

    /// The feed as last told; none while nobody is logged in.
    pub fn feed_view(&self) -> Option<FeedView> {
        self.feed_view.lock().expect("feed lock").clone()
    }

    /// Where the app keeps what it keeps for the office: practice's own folder while practising.
    pub fn office_data_dir(&self) -> PathBuf {
        match self.practice.lock().expect("practice lock").as_ref() {
            Some(practice) => practice.data_dir().to_owned(),
            None => self.dirs.data.clone(),
        }
    }
}

/// How the keyring knows a certificate's password: by the imported file's name.
pub fn certificate_key(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
