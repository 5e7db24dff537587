//! 受信通知: the office's change feed (`GET /v1/events`, server-sent events), its state as one answer
//! for clients that poll (`GET /v1/events/state`), and the feed token that reads both
//! (`POST /v1/events/token`). Why server-sent events: see docs/relay.md, 受信通知.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::IntoResponse;
use axum::Json;
use careplan_api::{ApiError, FeedEvent, FeedState, FeedTaken, FeedToken};
use futures::Stream;
use tokio::sync::broadcast::error::RecvError;
use tokio::time::{Instant, Interval, MissedTickBehavior};

use crate::access::{FeedReader, Session};
use crate::auth::new_token;
use crate::clock::{now_ms, rfc3339};
use crate::error::RelayError;
use crate::feed::{arrival, Notice, Subscription};
use crate::store::{AuditEntry, FeedTokenRow};
use crate::AppState;

/// Messages and taken files one state tells at most.
const STATE_ROWS: i64 = 100;

/// How far before `Last-Event-ID` a state looks for files taken (see [`state_of`]).
const TAKEN_MARGIN_MS: i64 = 10_000;

#[utoipa::path(
    post,
    path = "/v1/events/token",
    operation_id = "feed_token",
    tag = "feed",
    security(("session" = [])),
    responses(
        (status = 201, description = "受信通知だけを読めるトークン（このログインの終わりまで）", body = FeedToken),
        (status = "default", description = "拒否（ログインしていない …）", body = ApiError),
    )
)]
pub async fn token(
    State(state): State<AppState>,
    session: Session,
) -> Result<(axum::http::StatusCode, Json<FeedToken>), RelayError> {
    let (token, hash) = new_token();
    let now = now_ms();
    let row = FeedTokenRow {
        office_number: session.office_number().to_owned(),
        cert_fingerprint: session.row.cert_fingerprint.clone(),
        expires_at: session.row.expires_at,
    };
    state
        .store
        .feed_tokens()
        .issue(&hash, &session.token_hash, &row, now)
        .await?;
    state
        .store
        .audit()
        .write(&AuditEntry {
            at: now,
            office: Some(session.office_number()),
            actor: &session.row.personal_user_id,
            action: "feed_token",
            detail: &session.row.terminal_name,
        })
        .await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(FeedToken {
            token,
            expires_at: rfc3339(row.expires_at),
        }),
    ))
}

#[utoipa::path(
    get,
    path = "/v1/events/state",
    operation_id = "feed_state",
    tag = "feed",
    security(("feed_token" = [])),
    params(("Last-Event-ID" = Option<String>, Header, description = "前に受け取ったイベントの id（連携基盤の時刻・ミリ秒）。その後に相手先が取得した送信ファイルを返します")),
    responses(
        (status = 200, description = "未取得の件数、届いているメッセージ、相手先が取得した送信ファイル", body = FeedState),
        (status = "default", description = "拒否（受信通知のトークンが無効 …）", body = ApiError),
    )
)]
pub async fn feed_state(
    State(state): State<AppState>,
    reader: FeedReader,
    headers: HeaderMap,
) -> Result<Json<FeedState>, RelayError> {
    Ok(Json(
        state_of(&state, &reader, last_event_id(&headers)).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/v1/events",
    operation_id = "feed",
    tag = "feed",
    security(("feed_token" = [])),
    params(("Last-Event-ID" = Option<String>, Header, description = "再接続のとき、前に受け取った最後のイベントの id")),
    responses(
        (status = 200, description = "server-sent events: 最初に state、その後 arrived / fetched / taken / expired。20秒ごとにコメント行", content_type = "text/event-stream", body = FeedEvent),
        (status = "default", description = "拒否（受信通知のトークンが無効 …）", body = ApiError),
    )
)]
pub async fn feed(
    State(state): State<AppState>,
    reader: FeedReader,
    headers: HeaderMap,
) -> impl IntoResponse {
    let keepalive = state.limits.feed_keepalive;
    let stream = OpenFeed::new(state, reader, last_event_id(&headers)).into_stream();
    let mut response = Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(keepalive))
        .into_response();
    // A proxy that buffers would hold the events back (nginx honours this header).
    response
        .headers_mut()
        .insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `Last-Event-ID`: the relay time (ms) of the last event the client had.
fn last_event_id(headers: &HeaderMap) -> Option<i64> {
    headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|at| *at > 0)
}

/// The office's state now; with `since`, the files of its sends taken after it.
async fn state_of(
    state: &AppState,
    reader: &FeedReader,
    since: Option<i64>,
) -> Result<FeedState, RelayError> {
    // Taken before the queries: whatever they miss is after it.
    let event_id = now_ms();
    let feed = reader.feed(&state.store);
    let waiting = feed.waiting(STATE_ROWS).await?;
    let taken = match since {
        Some(since) => {
            // An acknowledgement's time is taken before its commit and its announcement: one in
            // that gap has a time before an event sent meanwhile. The margin takes it again (the
            // client knows files it was told of by their ids).
            let since = since - TAKEN_MARGIN_MS;
            // A file taken after `since` still had its content then, so it was sent within the
            // retention's days before.
            let sent_after = state.limits.retention.content_cutoff(since);
            feed.taken_since(since, sent_after, STATE_ROWS).await?
        }
        None => Vec::new(),
    };
    Ok(FeedState {
        unfetched_files: feed.unfetched_files().await?,
        waiting: waiting.into_iter().map(arrival).collect(),
        taken: taken
            .into_iter()
            .map(|t| FeedTaken {
                file_id: t.file_id,
                message_id: t.message_id,
                receiver_office: t.receiver_office,
                receiver_name: t.receiver_name,
                fetched_at: rfc3339(t.fetched_at),
            })
            .collect(),
        expires_at: rfc3339(reader.expires_at),
        event_id: event_id.to_string(),
    })
}

/// One open feed: subscribed before its first state is read, so nothing falls between the two.
struct OpenFeed {
    state: AppState,
    reader: FeedReader,
    subscription: Subscription,
    /// The first event is still to send, with the taken files since this time (if any).
    first: Option<Option<i64>>,
    recheck: Interval,
    /// The office's inbox counter as last seen (a change made by another relay process shows here).
    inbox: Option<i64>,
    /// The id of the last event sent: a later state tells the files taken since (the client moves
    /// past them with its id).
    last_id: Option<i64>,
    expires: Instant,
    ended: bool,
}

impl OpenFeed {
    fn new(state: AppState, reader: FeedReader, since: Option<i64>) -> OpenFeed {
        let subscription = state.feeds.subscribe(reader.office_number());
        let every = state.limits.feed_recheck;
        let mut recheck = tokio::time::interval_at(Instant::now() + every, every);
        recheck.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let left = Duration::from_millis((reader.expires_at - now_ms()).max(0) as u64);
        OpenFeed {
            expires: Instant::now() + left,
            state,
            reader,
            subscription,
            first: Some(since),
            recheck,
            inbox: None,
            last_id: since,
            ended: false,
        }
    }

    fn into_stream(self) -> impl Stream<Item = Result<Event, Infallible>> {
        futures::stream::unfold(self, |mut feed| async move {
            match feed.next_event().await {
                Ok(Some(event)) => {
                    let id = event_id(&event);
                    feed.last_id = Some(id);
                    Some((Ok(sse(&event, id)), feed))
                }
                Ok(None) => None,
                Err(e) => {
                    // The client reconnects and starts from a fresh state.
                    tracing::warn!(error = %e, office = feed.reader.office_number(), "a change feed ended on an error");
                    None
                }
            }
        })
    }

    async fn next_event(&mut self) -> Result<Option<FeedEvent>, RelayError> {
        if self.ended {
            return Ok(None);
        }
        if let Some(since) = self.first.take() {
            self.inbox = Some(self.reader.feed(&self.state.store).inbox_counter().await?);
            return Ok(Some(FeedEvent::State(
                state_of(&self.state, &self.reader, since).await?,
            )));
        }
        loop {
            tokio::select! {
                notice = self.subscription.recv() => {
                    return match notice {
                        Ok(notice) => self.event_of(notice).await.map(Some),
                        // Fell behind: the whole state says everything the missed events did.
                        Err(RecvError::Lagged(_)) => Ok(Some(FeedEvent::State(
                            state_of(&self.state, &self.reader, self.last_id).await?,
                        ))),
                        Err(RecvError::Closed) => Ok(None),
                    };
                }
                _ = tokio::time::sleep_until(self.expires) => {
                    self.ended = true;
                    return Ok(Some(FeedEvent::Expired));
                }
                _ = self.recheck.tick() => {
                    if let Some(event) = self.rechecked().await? {
                        return Ok(Some(event));
                    }
                }
            }
        }
    }

    /// The token still works (its session was not logged out, its certificate is neither revoked
    /// nor out of date), and the office received nothing this process did not announce; otherwise
    /// the event that says so.
    async fn rechecked(&mut self) -> Result<Option<FeedEvent>, RelayError> {
        let now = now_ms();
        let store = &self.state.store;
        let token = store.feed_tokens().get(&self.reader.token_hash).await?;
        let certificate = store
            .certificates()
            .by_fingerprint(&self.reader.cert_fingerprint)
            .await?;
        let alive = token.is_some_and(|row| row.expires_at >= now)
            && certificate.is_some_and(|c| {
                c.revoked_at.is_none() && c.not_before <= now && now <= c.not_after
            });
        if !alive {
            self.ended = true;
            return Ok(Some(FeedEvent::Expired));
        }
        let inbox = self.reader.feed(&self.state.store).inbox_counter().await?;
        if self.inbox.replace(inbox) == Some(inbox) {
            return Ok(None);
        }
        Ok(Some(FeedEvent::State(
            state_of(&self.state, &self.reader, self.last_id).await?,
        )))
    }

    async fn event_of(&mut self, notice: Notice) -> Result<FeedEvent, RelayError> {
        let feed = self.reader.feed(&self.state.store);
        Ok(match notice {
            Notice::Arrived(arrival) => {
                // Announced here: the recheck need not tell it again.
                self.inbox = self.inbox.map(|n| n + 1);
                FeedEvent::Arrived {
                    arrival,
                    unfetched_files: feed.unfetched_files().await?,
                }
            }
            Notice::Fetched => FeedEvent::Fetched {
                unfetched_files: feed.unfetched_files().await?,
            },
            Notice::Taken(taken) => FeedEvent::Taken { taken },
        })
    }
}

/// An event's id: a state's own time, else the relay's time now.
fn event_id(event: &FeedEvent) -> i64 {
    match event {
        FeedEvent::State(state) => state.event_id.parse().unwrap_or_else(|_| now_ms()),
        _ => now_ms(),
    }
}

/// An event on the wire: its kind as the SSE event name, `id` as its id.
fn sse(event: &FeedEvent, id: i64) -> Event {
    let data = serde_json::to_string(event).expect("feed events serialize");
    Event::default()
        .event(event.kind())
        .id(id.to_string())
        .data(data)
}
