//! 受信通知 on the client: the feed token, the office's change feed (server-sent events) and a
//! [`FeedWatcher`] that keeps it open: it reconnects with full-jitter backoff while the relay cannot
//! be reached, goes on from the last event it had, and falls back to polling the feed's state (every
//! 5 minutes ± 20 %) when the relay has no feed or a proxy holds its events back, trying the feed
//! again every 6 polls.

use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use careplan_api::{FeedEvent, FeedState, FeedToken};
use eventsource_stream::{EventStreamError, Eventsource};
use futures::{Stream, StreamExt};
use reqwest::Method;

use crate::connection::{checked, json, send};
use crate::error::ClientError;
use crate::RelayClient;

/// How a [`FeedWatcher`] behaves; the defaults are the product's, tests shorten them.
#[derive(Debug, Clone)]
pub struct FeedPolicy {
    /// The relay sends the office's state first; a feed that says nothing this long is held back
    /// by something on the way (a buffering proxy), and the watcher polls instead.
    pub first_event_within: Duration,
    /// The relay writes at least a comment line every 20 s: this long without a byte means the
    /// connection is dead even if no error says so (a network that dropped it silently).
    pub silence_limit: Duration,
    /// Polling when there is no feed: this often, give or take `poll_jitter` of it.
    pub poll_every: Duration,
    pub poll_jitter: f64,
    /// Polling tries the feed again after this many polls (a proxy's setting may have changed).
    pub feed_again_after_polls: u32,
    /// Reconnecting: the first pause is at most `retry_base`, each failure doubles it up to
    /// `retry_cap`, and the pause is a random time under it (full jitter), so offices that lost
    /// the relay together do not come back together.
    pub retry_base: Duration,
    pub retry_cap: Duration,
}

impl Default for FeedPolicy {
    fn default() -> Self {
        FeedPolicy {
            first_event_within: Duration::from_secs(10),
            silence_limit: Duration::from_secs(65),
            poll_every: Duration::from_secs(300),
            poll_jitter: 0.2,
            feed_again_after_polls: 6,
            retry_base: Duration::from_secs(1),
            retry_cap: Duration::from_secs(300),
        }
    }
}

impl FeedPolicy {
    /// The pause before try number `failures` (1 for the first retry).
    pub fn retry_delay(&self, failures: u32) -> Duration {
        let ceiling = self
            .retry_base
            .saturating_mul(1u32 << failures.saturating_sub(1).min(20))
            .min(self.retry_cap);
        Duration::from_millis(rand::random_range(0..=ceiling.as_millis() as u64))
    }

    /// The pause until the next poll.
    pub fn poll_delay(&self) -> Duration {
        let jitter = self.poll_jitter.clamp(0.0, 1.0);
        self.poll_every
            .mul_f64(1.0 + rand::random_range(-jitter..=jitter))
    }
}

/// How long a feed must have stayed open for a reconnection to start from the shortest pause.
const STABLE_FEED: Duration = Duration::from_secs(60);

/// What a [`FeedWatcher`] tells whoever shows it (the tray, the 受信一覧).
#[derive(Debug, Clone, PartialEq)]
pub enum FeedUpdate {
    /// The feed is open; its first event (the office's state) follows.
    Connected,
    Event(FeedEvent),
    /// The relay cannot be reached now; the next try is in `retry_in`.
    Unreachable {
        message: String,
        retry_in: Duration,
    },
    /// No feed (the relay has none, or a proxy holds it back): the state is polled this often.
    Polling {
        every: Duration,
    },
    /// The feed token no longer works; the watcher has stopped: ログインが必要です.
    LoginRequired,
}

/// A transport failure of the feed's bytes, or its silence.
#[derive(Debug)]
enum FeedTransport {
    Http(reqwest::Error),
    Silent,
}

impl std::fmt::Display for FeedTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FeedTransport::Http(e) => write!(f, "{e}"),
            FeedTransport::Silent => f.write_str("the feed went silent"),
        }
    }
}

type Events = Pin<
    Box<
        dyn Stream<Item = Result<eventsource_stream::Event, EventStreamError<FeedTransport>>>
            + Send,
    >,
>;

/// One open feed.
pub struct FeedStream {
    events: Events,
    /// The id of the last event read: what a reconnection gives as `Last-Event-ID`.
    pub last_event_id: Option<String>,
}

impl FeedStream {
    /// The next event; `None` when the relay closed the feed.
    pub async fn next(&mut self) -> Option<Result<FeedEvent, ClientError>> {
        loop {
            let event = match self.events.next().await? {
                Ok(event) => event,
                Err(_) => return Some(Err(feed_broken())),
            };
            if !event.id.is_empty() {
                self.last_event_id = Some(event.id.clone());
            }
            match serde_json::from_str::<FeedEvent>(&event.data) {
                Ok(decoded) => return Some(Ok(decoded)),
                // An event kind of a newer relay: skipped, the next state covers it.
                Err(_) => continue,
            }
        }
    }
}

fn feed_broken() -> ClientError {
    ClientError::Connection {
        message: "受信通知の接続が切れました。自動でつなぎ直します。".into(),
    }
}

/// The relay's feed is not there (an older relay).
fn is_missing(error: &ClientError) -> bool {
    matches!(
        error,
        ClientError::Refused {
            status: 404 | 405,
            ..
        }
    )
}

/// The token no longer works.
fn is_login_required(error: &ClientError) -> bool {
    matches!(error, ClientError::Refused { status: 401, .. })
}

impl RelayClient {
    /// A feed token for this login (one per login: asking again replaces it).
    pub async fn feed_token(&self) -> Result<FeedToken, ClientError> {
        json(self.request(Method::POST, "/v1/events/token")).await
    }

    /// The office's state, for polling; with `last_event_id`, the sent files taken since.
    pub async fn feed_state(
        &self,
        token: &str,
        last_event_id: Option<&str>,
    ) -> Result<FeedState, ClientError> {
        let mut request = self
            .http
            .get(self.url("/v1/events/state"))
            .bearer_auth(token);
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id);
        }
        json(request).await
    }

    /// Opens the office's feed with a feed token. Bytes must keep coming (`silence_limit`).
    pub async fn open_feed(
        &self,
        token: &str,
        last_event_id: Option<&str>,
        silence_limit: Duration,
    ) -> Result<FeedStream, ClientError> {
        let mut request = self
            .http
            .get(self.url("/v1/events"))
            .bearer_auth(token)
            .header(reqwest::header::ACCEPT, "text/event-stream")
            // A feed lasts as long as its login (8 hours at most); silence is watched below.
            .timeout(Duration::from_secs(9 * 3600));
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id);
        }
        let response = checked(send(request).await?).await?;
        let bytes = response.bytes_stream();
        let watched = futures::stream::unfold(Some(bytes), move |bytes| async move {
            let mut bytes = bytes?;
            match tokio::time::timeout(silence_limit, bytes.next()).await {
                Ok(Some(Ok(chunk))) => Some((Ok::<Bytes, FeedTransport>(chunk), Some(bytes))),
                Ok(Some(Err(e))) => Some((Err(FeedTransport::Http(e)), None)),
                Ok(None) => None,
                Err(_) => Some((Err(FeedTransport::Silent), None)),
            }
        });
        Ok(FeedStream {
            events: Box::pin(watched.eventsource()),
            last_event_id: last_event_id.map(str::to_owned),
        })
    }
}

/// Keeps an office's feed open for as long as its token works.
pub struct FeedWatcher {
    client: RelayClient,
    token: String,
    policy: FeedPolicy,
    last_event_id: Option<String>,
}

impl FeedWatcher {
    pub fn new(client: RelayClient, token: String, policy: FeedPolicy) -> FeedWatcher {
        FeedWatcher {
            client,
            token,
            policy,
            last_event_id: None,
        }
    }

    /// Runs until the token no longer works (after [`FeedUpdate::LoginRequired`]); drop the future
    /// to stop it sooner.
    pub async fn run(mut self, mut on_update: impl FnMut(FeedUpdate) + Send) {
        let mut failures = 0u32;
        loop {
            // The relay answers a feed with the office's state at once: nothing in time (headers
            // or that first event) means something on the way holds the feed back.
            let opened = tokio::time::timeout(self.policy.first_event_within, async {
                let mut stream = self
                    .client
                    .open_feed(
                        &self.token,
                        self.last_event_id.as_deref(),
                        self.policy.silence_limit,
                    )
                    .await?;
                let first = stream.next().await;
                Ok::<_, ClientError>((stream, first))
            })
            .await;
            let error = match opened {
                // Nothing in time: held back on the way, or the relay is out of reach. A plain
                // request tells which: answered, the feed is what is held (a proxy), and polling
                // does the feed's work.
                Err(_) => match self.client.feed_state(&self.token, None).await {
                    Ok(_) => {
                        if self.poll(&mut on_update).await {
                            continue;
                        }
                        return;
                    }
                    Err(e) => e,
                },
                Ok(Err(e)) => e,
                Ok(Ok((mut stream, first))) => match first {
                    None => feed_broken(),
                    Some(Err(e)) => e,
                    Some(Ok(first)) => {
                        let connected = std::time::Instant::now();
                        on_update(FeedUpdate::Connected);
                        let mut event = Some(first);
                        while let Some(current) = event.take() {
                            let expired = current == FeedEvent::Expired;
                            on_update(FeedUpdate::Event(current));
                            if expired {
                                on_update(FeedUpdate::LoginRequired);
                                return;
                            }
                            event = match stream.next().await {
                                Some(Ok(next)) => Some(next),
                                _ => None,
                            };
                        }
                        self.last_event_id = stream.last_event_id.clone();
                        // A feed that lasted starts the pauses again from the shortest; one that
                        // ends as soon as it opens (a relay in trouble) keeps them growing.
                        if connected.elapsed() >= STABLE_FEED {
                            failures = 0;
                        }
                        feed_broken()
                    }
                },
            };
            if is_login_required(&error) {
                on_update(FeedUpdate::LoginRequired);
                return;
            }
            if is_missing(&error) {
                if self.poll(&mut on_update).await {
                    continue;
                }
                return;
            }
            failures += 1;
            let retry_in = self.policy.retry_delay(failures);
            on_update(FeedUpdate::Unreachable {
                message: error.to_string(),
                retry_in,
            });
            tokio::time::sleep(retry_in).await;
        }
    }

    /// Polls the feed's state; answers whether to try the feed again (after
    /// `feed_again_after_polls` polls), or `false` once the token no longer works.
    async fn poll(&mut self, on_update: &mut (impl FnMut(FeedUpdate) + Send)) -> bool {
        on_update(FeedUpdate::Polling {
            every: self.policy.poll_every,
        });
        for _ in 0..self.policy.feed_again_after_polls.max(1) {
            match self
                .client
                .feed_state(&self.token, self.last_event_id.as_deref())
                .await
            {
                Ok(state) => {
                    self.last_event_id = Some(state.event_id.clone());
                    on_update(FeedUpdate::Event(FeedEvent::State(state)));
                }
                Err(e) if is_login_required(&e) => {
                    on_update(FeedUpdate::LoginRequired);
                    return false;
                }
                Err(e) => {
                    let retry_in = self.policy.poll_delay();
                    on_update(FeedUpdate::Unreachable {
                        message: e.to_string(),
                        retry_in,
                    });
                    tokio::time::sleep(retry_in).await;
                    continue;
                }
            }
            tokio::time::sleep(self.policy.poll_delay()).await;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_retry_waits_a_random_time_under_a_ceiling_that_doubles_up_to_the_cap() {
        let policy = FeedPolicy::default();
        for _ in 0..200 {
            assert!(policy.retry_delay(1) <= Duration::from_secs(1));
            assert!(policy.retry_delay(4) <= Duration::from_secs(8));
            assert!(policy.retry_delay(40) <= Duration::from_secs(300));
        }
        // Full jitter: the pauses of many offices spread over the whole range.
        let pauses: Vec<Duration> = (0..200).map(|_| policy.retry_delay(9)).collect();
        assert!(pauses.iter().any(|p| *p < Duration::from_secs(60)));
        assert!(pauses.iter().any(|p| *p > Duration::from_secs(200)));
    }

    #[test]
    fn polls_come_every_five_minutes_give_or_take_a_fifth() {
        let policy = FeedPolicy::default();
        let pauses: Vec<Duration> = (0..500).map(|_| policy.poll_delay()).collect();
        assert!(pauses
            .iter()
            .all(|p| *p >= Duration::from_secs(240) && *p <= Duration::from_secs(360)));
        assert!(pauses.iter().any(|p| *p < Duration::from_secs(280)));
        assert!(pauses.iter().any(|p| *p > Duration::from_secs(320)));
    }
}
