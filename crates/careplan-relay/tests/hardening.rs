//! A hostile or clumsy office against the API (issue 15): lockout abuse, IDs that must not be told
//! apart, reused idempotency keys, oversize uploads, names Windows cannot hold, framework errors,
//! caps per office. Sockets that trickle and the relay's memory are in `connections.rs`.

mod common;

use careplan_api::{ApiError, OfficeLoginRequest, SendResponse};
use careplan_relay::store::UserTable;
use common::*;
use reqwest::{Client, StatusCode};

/// The audit log's lines for `action`, oldest first, as (office, actor, detail).
async fn audit(relay: &TestRelay, action: &str) -> Vec<(Option<String>, String, String)> {
    relay
        .audit_lines(action)
        .await
        .into_iter()
        .map(|line| (line.office, line.actor, line.detail))
        .collect()
}

/// Stage 1 alone, as (status, error) for a refusal.
async fn stage_one(
    relay: &TestRelay,
    client: &Client,
    id: &str,
    password: &str,
) -> Result<String, (StatusCode, ApiError)> {
    personal_stage(relay, client, id, password)
        .await
        .map(|stage| stage.stage_token)
}

/// Stage 2 with a stage token.
async fn stage_two(
    relay: &TestRelay,
    client: &Client,
    stage_token: String,
    id: &str,
    password: &str,
    terminal: &str,
) -> Result<serde_json::Value, (StatusCode, ApiError)> {
    ok_json(
        client
            .post(relay.api_url("/v1/login/office"))
            .json(&OfficeLoginRequest {
                stage_token,
                office_user_id: id.into(),
                password: password.into(),
                terminal_name: terminal.into(),
            })
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn failed_attempts(relay: &TestRelay, table: UserTable, id: &str) -> i64 {
    let user = relay.relay.state.store.offices().user(table, id).await;
    user.unwrap().unwrap().failed_attempts
}

// 1. One office cannot lock another out.

#[tokio::test]
async fn another_offices_personal_id_is_refused_at_once_and_never_counted_against_it() {
    let relay = TestRelay::start().await;
    let attacker = relay.https(HOME_HELP);
    let limit = relay.relay.state.limits.max_login_failures;
    for _ in 0..limit + 2 {
        let (status, error) = stage_one(
            &relay,
            &attacker,
            CARE_MANAGER.personal_user_id,
            "x-wrong-x",
        )
        .await
        .unwrap_err();
        assert!(
            matches!(
                (status, error.code.as_str()),
                (StatusCode::UNAUTHORIZED, "auth.invalid_credentials")
                    | (StatusCode::LOCKED, "auth.locked")
            ),
            "{status} {error:?}"
        );
    }
    // Even the right password of another office's ID tells nothing and opens nothing.
    let (status, error) = stage_one(&relay, &attacker, CARE_MANAGER.personal_user_id, PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(status, StatusCode::LOCKED, "{error:?}");
    // The victim's ID was never touched: it logs in from its own office at once.
    assert_eq!(
        failed_attempts(&relay, UserTable::Personal, CARE_MANAGER.personal_user_id).await,
        0
    );
    relay.https_login(CARE_MANAGER).await;
    // Every attempt is filed under the asking office, with the certificate that made it.
    let failures = audit(&relay, "login.failed").await;
    assert_eq!(failures.len() as i64, limit, "{failures:?}");
    for (office, actor, detail) in &failures {
        assert_eq!(office.as_deref(), Some(HOME_HELP.number));
        assert_eq!(actor, CARE_MANAGER.personal_user_id);
        assert!(
            detail.contains(&format!("id of office {}", CARE_MANAGER.number)),
            "{detail}"
        );
        assert!(detail.contains("certificate serial "), "{detail}");
    }
    let locked = audit(&relay, "login.locked").await;
    assert_eq!(locked.len(), 3, "{locked:?}");
    assert!(locked
        .iter()
        .all(|(office, _, _)| office.as_deref() == Some(HOME_HELP.number)));
}

#[tokio::test]
async fn another_offices_office_id_at_stage_two_is_refused_and_never_counted_against_it() {
    let relay = TestRelay::start().await;
    let attacker = relay.https(HOME_HELP);
    let limit = relay.relay.state.limits.max_login_failures;
    for _ in 0..limit + 1 {
        let stage = stage_one(&relay, &attacker, HOME_HELP.personal_user_id, PASSWORD)
            .await
            .unwrap();
        let (status, _) = stage_two(
            &relay,
            &attacker,
            stage,
            CARE_MANAGER.office_user_id,
            "x-wrong-x",
            "攻撃PC",
        )
        .await
        .unwrap_err();
        assert!(
            [StatusCode::UNAUTHORIZED, StatusCode::LOCKED].contains(&status),
            "{status}"
        );
    }
    assert_eq!(
        failed_attempts(&relay, UserTable::Office, CARE_MANAGER.office_user_id).await,
        0
    );
    relay.https_login(CARE_MANAGER).await;
    // The attacker's own IDs are not locked by its attempts on another office's ID either.
    relay.https_login(HOME_HELP).await;
}

// 4. Same answers and the same work for IDs that exist and IDs that do not.

#[tokio::test]
async fn an_unknown_id_answers_and_locks_exactly_like_a_known_one() {
    let relay = TestRelay::start().await;
    let client = relay.https(CARE_MANAGER);
    let limit = relay.relay.state.limits.max_login_failures;
    let known = CARE_MANAGER.personal_user_id;
    let unknown = "c1370000018z";
    for attempt in 0..limit + 1 {
        let a = stage_one(&relay, &client, known, "x-wrong-x")
            .await
            .unwrap_err();
        let b = stage_one(&relay, &client, unknown, "x-wrong-x")
            .await
            .unwrap_err();
        assert_eq!((a.0, &a.1.code), (b.0, &b.1.code), "attempt {attempt}");
        let expected = if attempt < limit {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::LOCKED
        };
        assert_eq!(a.0, expected, "attempt {attempt}: {:?}", a.1);
        if attempt < limit {
            assert_eq!(a.1.message, b.1.message);
        } else {
            assert!(
                b.1.message.contains("ロックされています"),
                "{}",
                b.1.message
            );
        }
    }
    // Stage 2: an unknown 事業所ユーザID answers like a wrong password too.
    let client = relay.https(HOME_HELP);
    let wrong = |id: &'static str| {
        let (relay, client) = (&relay, &client);
        async move {
            let stage = stage_one(relay, client, HOME_HELP.personal_user_id, PASSWORD)
                .await
                .unwrap();
            stage_two(relay, client, stage, id, "x-wrong-x", "PC")
                .await
                .unwrap_err()
        }
    };
    let a = wrong(HOME_HELP.office_user_id).await;
    let b = wrong("KJ999999999901").await;
    assert_eq!(
        (a.0, &a.1.code, &a.1.message),
        (b.0, &b.1.code, &b.1.message)
    );
    // Unknown and locked attempts leave lines too, under the asking office.
    let failures = audit(&relay, "login.failed").await;
    assert!(failures
        .iter()
        .any(
            |(office, actor, detail)| office.as_deref() == Some(CARE_MANAGER.number)
                && actor == unknown
                && detail.starts_with("unknown id; certificate serial ")
        ));
    let locked = audit(&relay, "login.locked").await;
    assert!(locked.iter().any(|(_, actor, _)| actor == unknown));
    assert!(locked.iter().any(|(_, actor, _)| actor == known));
}

#[tokio::test]
async fn other_refusals_are_audited_with_the_certificate_too() {
    let relay = TestRelay::start().await;
    let client = relay.https(CARE_MANAGER);
    let (status, _) = stage_one(&relay, &client, "HD1234567890", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = stage_two(
        &relay,
        &client,
        "0".repeat(64),
        CARE_MANAGER.office_user_id,
        PASSWORD,
        "PC",
    )
    .await
    .unwrap_err();
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let failures = audit(&relay, "login.failed").await;
    let codes: Vec<&str> = failures
        .iter()
        .map(|(_, _, d)| d.split(';').next().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["auth.proxy_id", "auth.stage_required"],
        "{failures:?}"
    );
    assert!(failures.iter().all(|(office, _, detail)| office.as_deref()
        == Some(CARE_MANAGER.number)
        && detail.contains("certificate serial ")));
}

// 2. A reused Idempotency-Key with another request is refused.

async fn keyed_send(
    relay: &TestRelay,
    client: &Client,
    token: &str,
    key: &str,
    to: &str,
    message: &str,
    files: &[(String, Vec<u8>)],
) -> reqwest::Response {
    client
        .post(relay.api_url("/v1/messages"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .multipart(send_form(to, message, files))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_reused_idempotency_key_with_another_request_is_refused_not_answered_with_the_first() {
    let relay = TestRelay::start().await;
    let (client, token) = relay.https_login(CARE_MANAGER).await;
    let files = fixture_files("valid/v41-plan");
    let first = keyed_send(&relay, &client, &token, "k-1", HOME_HELP.number, "", &files).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: SendResponse = first.json().await.unwrap();
    // The same request again: the first message.
    let again = keyed_send(&relay, &client, &token, "k-1", HOME_HELP.number, "", &files).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(
        again.json::<SendResponse>().await.unwrap().message.id,
        first.message.id
    );
    // Other files, another message, another destination: refused, whatever differs.
    let mut other_files = files.clone();
    other_files.push((
        "連絡.txt".into(),
        "よろしくお願いします。\r\n".as_bytes().to_vec(),
    ));
    let mut changed_bytes = files.clone();
    changed_bytes.push(("連絡.txt".into(), "別の内容です。\r\n".as_bytes().to_vec()));
    for (to, message, files) in [
        (HOME_HELP.number, "", &other_files),
        (HOME_HELP.number, "追記", &files),
        (DAY_SERVICE.number, "", &files),
    ] {
        let response = keyed_send(&relay, &client, &token, "k-1", to, message, files).await;
        let (status, error) = ok_json::<SendResponse>(response).await.unwrap_err();
        assert_eq!(
            (status, error.code.as_str()),
            (StatusCode::CONFLICT, "send.idempotency_conflict")
        );
        assert!(
            error.message.contains("内容の違う送信"),
            "{}",
            error.message
        );
    }
    // Same names, other bytes: refused too (the digest covers each file's SHA-256).
    let with_note = keyed_send(
        &relay,
        &client,
        &token,
        "k-2",
        HOME_HELP.number,
        "",
        &other_files,
    )
    .await;
    assert_eq!(with_note.status(), StatusCode::CREATED);
    let (status, _) = ok_json::<SendResponse>(
        keyed_send(
            &relay,
            &client,
            &token,
            "k-2",
            HOME_HELP.number,
            "",
            &changed_bytes,
        )
        .await,
    )
    .await
    .unwrap_err();
    assert_eq!(status, StatusCode::CONFLICT);
    let outbox: careplan_api::MessagePage = ok_json(
        client
            .get(relay.api_url("/v1/outbox"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(outbox.total, 2, "nothing stored for the refused requests");
}

#[tokio::test]
async fn a_reused_bulk_key_with_another_bulk_request_is_refused_before_anything_is_sent() {
    let relay = TestRelay::start().await;
    let (client, token) = relay.https_login(CARE_MANAGER).await;
    let files = fixture_files("valid/v41-plan");
    let bulk = |manifest: serde_json::Value| {
        client
            .post(relay.api_url("/v1/bulk"))
            .bearer_auth(&token)
            .header("Idempotency-Key", "bulk-1")
            .multipart(manifest_form(&manifest, &files))
            .send()
    };
    let first = bulk(serde_json::json!({"messages": {}})).await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let again = bulk(serde_json::json!({"messages": {}})).await.unwrap();
    assert_eq!(
        again.status(),
        StatusCode::OK,
        "the same bulk send is a retry"
    );
    let changed = bulk(serde_json::json!({"messages": {HOME_HELP.number: "追記"}}))
        .await
        .unwrap();
    let (status, error) = ok_json::<serde_json::Value>(changed).await.unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::CONFLICT, "send.idempotency_conflict")
    );
}

// 3. Limits while streaming, for every upload route (the early answers over raw sockets are in
// connections.rs).

#[tokio::test]
async fn a_bulk_send_over_its_total_is_refused_413_naming_the_limit() {
    let relay = TestRelay::builder()
        .limits(|limits| limits.max_bulk_bytes = 2_000_000)
        .start()
        .await;
    let (client, token) = relay.https_login(CARE_MANAGER).await;
    let at_limit = vec![("連絡.txt".to_owned(), vec![b'a'; 2_000_000])];
    let response = client
        .post(relay.api_url("/v1/bulk"))
        .bearer_auth(&token)
        .multipart(manifest_form(&serde_json::json!({}), &at_limit))
        .send()
        .await
        .unwrap();
    // At the limit the request is read (the text file has no destination: reported, not refused).
    assert_eq!(response.status(), StatusCode::OK);
    let past = vec![("連絡.txt".to_owned(), vec![b'a'; 2_000_001])];
    let response = client
        .post(relay.api_url("/v1/bulk"))
        .bearer_auth(&token)
        .multipart(manifest_form(&serde_json::json!({}), &past))
        .send()
        .await
        .unwrap();
    let (status, error) = ok_json::<serde_json::Value>(response).await.unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, "bulk.too_large")
    );
    assert!(
        error.message.contains("合計 2 MB まで"),
        "{}",
        error.message
    );
}

#[tokio::test]
async fn drafts_keep_the_send_limit_while_streaming() {
    let relay = TestRelay::builder()
        .limits(|limits| limits.max_send_bytes = 1_000_000)
        .start()
        .await;
    let (client, token) = relay.https_login(CARE_MANAGER).await;
    let form = |size: usize| {
        manifest_form(
            &serde_json::json!({"to": HOME_HELP.number}),
            &[("意見書.txt".to_owned(), vec![b'a'; size])],
        )
    };
    let created = client
        .post(relay.api_url("/v1/drafts"))
        .bearer_auth(&token)
        .multipart(form(1_000_000))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let draft: careplan_api::Draft = created.json().await.unwrap();
    for request in [
        client.post(relay.api_url("/v1/drafts")),
        client.put(relay.api_url(&format!("/v1/drafts/{}", draft.id))),
    ] {
        let response = request
            .bearer_auth(&token)
            .multipart(form(1_000_001))
            .send()
            .await
            .unwrap();
        let (status, error) = ok_json::<serde_json::Value>(response).await.unwrap_err();
        assert_eq!(
            (status, error.code.as_str()),
            (StatusCode::PAYLOAD_TOO_LARGE, "send.too_large")
        );
        assert!(error.message.contains("1 MB"), "{}", error.message);
    }
}

#[tokio::test]
async fn past_the_upload_budget_a_send_waits_its_turn_with_retry_after() {
    let relay = TestRelay::builder()
        .limits(|limits| limits.max_upload_bytes_in_flight = 500_000)
        .start()
        .await;
    let (client, token) = relay.https_login(CARE_MANAGER).await;
    let response = client
        .post(relay.api_url("/v1/messages"))
        .bearer_auth(&token)
        .multipart(send_form(
            HOME_HELP.number,
            "",
            &[("連絡.txt".to_owned(), vec![b'a'; 600_000])],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["retry-after"], "5");
    let (status, error) = ok_json::<serde_json::Value>(response).await.unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, "server.busy")
    );
    assert_eq!(
        relay.relay.state.uploads.available(),
        500_000,
        "the refused request gave its share back"
    );
}

// 6. Names Windows cannot hold.

#[tokio::test]
async fn names_windows_cannot_hold_are_refused_and_names_are_stored_in_nfc() {
    let relay = TestRelay::start().await;
    let (client, token) = relay.https_login(CARE_MANAGER).await;
    let text = "よろしくお願いします。\r\n".as_bytes().to_vec();
    for name in [
        "notes:hidden.txt",
        "a<b>c|d?e*.txt",
        "CON.txt",
        "NUL.txt",
        "COM1.txt",
        "見積\u{202E}fdp.txt",
        "請求\u{200B}書.txt",
        "\u{FEFF}連絡.txt",
        "一行目\u{2028}二行目.txt",
    ] {
        let mut files = fixture_files("valid/v41-plan");
        files.push((name.to_owned(), text.clone()));
        let response = client
            .post(relay.api_url("/v1/messages"))
            .bearer_auth(&token)
            .multipart(send_form(HOME_HELP.number, "", &files))
            .send()
            .await
            .unwrap();
        let (status, error) = ok_json::<SendResponse>(response).await.unwrap_err();
        assert_eq!(
            (status, error.code.as_str()),
            (StatusCode::BAD_REQUEST, "send.bad_file_name"),
            "{name:?}"
        );
        assert!(error.message.contains("Windows"), "{}", error.message);
        assert_eq!(error.diagnostics[0].code, "name.windows_invalid");
    }
    // NFC and NFD spellings of one name in one send: one name twice.
    let (nfc, nfd) = ("がいご.txt", "か\u{3099}いこ\u{3099}.txt");
    let response = client
        .post(relay.api_url("/v1/messages"))
        .bearer_auth(&token)
        .multipart(send_form(
            HOME_HELP.number,
            "",
            &[(nfc.into(), text.clone()), (nfd.into(), text.clone())],
        ))
        .send()
        .await
        .unwrap();
    let (status, error) = ok_json::<SendResponse>(response).await.unwrap_err();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        error.diagnostics.iter().any(|d| d.code == "name.duplicate"),
        "{error:?}"
    );
    // An NFD name alone travels, and arrives as NFC.
    let mut files = fixture_files("valid/v41-plan");
    files.push((nfd.into(), text));
    let response = client
        .post(relay.api_url("/v1/messages"))
        .bearer_auth(&token)
        .multipart(send_form(HOME_HELP.number, "", &files))
        .send()
        .await
        .unwrap();
    let sent: SendResponse = ok_json(response).await.unwrap();
    assert!(
        sent.message.files.iter().any(|f| f.name == nfc),
        "{:?}",
        sent.message.files
    );
}

// 8. The smaller ones.

#[tokio::test]
async fn two_manifests_are_refused_not_last_one_wins() {
    let relay = TestRelay::start().await;
    let (client, token) = relay.https_login(CARE_MANAGER).await;
    for path in ["/v1/messages", "/v1/bulk", "/v1/drafts"] {
        let mut form = manifest_form(
            &serde_json::json!({"to": DAY_SERVICE.number}),
            &fixture_files("valid/v41-plan"),
        );
        form = form.text(
            "manifest",
            serde_json::json!({"to": HOME_HELP.number}).to_string(),
        );
        let response = client
            .post(relay.api_url(path))
            .bearer_auth(&token)
            .multipart(form)
            .send()
            .await
            .unwrap();
        let (status, error) = ok_json::<serde_json::Value>(response).await.unwrap_err();
        assert_eq!(
            (status, error.code.as_str()),
            (StatusCode::BAD_REQUEST, "send.malformed"),
            "{path}"
        );
        assert!(error.message.contains("2つ"), "{}", error.message);
    }
}

#[tokio::test]
async fn framework_refusals_come_back_as_code_and_japanese_message() {
    let relay = TestRelay::start().await;
    let (client, token) = relay.https_login(CARE_MANAGER).await;
    let login = relay.api_url("/v1/login/personal");
    let cases: Vec<(reqwest::RequestBuilder, StatusCode, &str)> = vec![
        (
            client.get(relay.api_url("/v1/nothing-here")),
            StatusCode::NOT_FOUND,
            "request.not_found",
        ),
        (
            client
                .delete(relay.api_url("/v1/inbox"))
                .bearer_auth(&token),
            StatusCode::METHOD_NOT_ALLOWED,
            "request.method_not_allowed",
        ),
        (
            client
                .post(&login)
                .header("content-type", "text/plain")
                .body("{}"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "request.unsupported_media_type",
        ),
        (
            client
                .post(&login)
                .header("content-type", "application/json")
                .body("{\"user_id\" \"c1\"}"),
            StatusCode::BAD_REQUEST,
            "request.malformed",
        ),
        (
            client
                .post(&login)
                .json(&serde_json::json!({"user_id": "c1"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "request.invalid_body",
        ),
        (
            client
                .post(&login)
                .json(&serde_json::json!({"pad": "x".repeat(70_000)})),
            StatusCode::PAYLOAD_TOO_LARGE,
            "request.too_large",
        ),
        (
            client
                .post(relay.api_url("/v1/messages"))
                .bearer_auth(&token)
                .header("content-type", "application/json")
                .body("{}"),
            StatusCode::BAD_REQUEST,
            "request.malformed",
        ),
        (
            client
                .get(relay.api_url("/v1/inbox?page=x"))
                .bearer_auth(&token),
            StatusCode::BAD_REQUEST,
            "request.malformed",
        ),
        (
            client
                .get(relay.api_url("/v1/inbox?per_page=201"))
                .bearer_auth(&token),
            StatusCode::BAD_REQUEST,
            "list.bad_page",
        ),
    ];
    for (request, status, code) in cases {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), status, "{code}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json"),
            "{code}"
        );
        let error: ApiError = response.json().await.unwrap();
        assert_eq!(error.code, code);
        assert!(
            error
                .message
                .chars()
                .any(|c| ('\u{3040}'..='\u{30FF}').contains(&c)),
            "Japanese: {}",
            error.message
        );
    }
}

#[tokio::test]
async fn a_terminal_name_with_control_or_invisible_characters_is_refused() {
    let relay = TestRelay::start().await;
    let client = relay.https(CARE_MANAGER);
    for terminal in [
        "受付\nPC",
        "受付\u{7}PC",
        "受付\u{202E}CP",
        "",
        &"あ".repeat(51),
    ] {
        let (status, error) = login_on_terminal(
            &relay,
            &client,
            CARE_MANAGER.personal_user_id,
            CARE_MANAGER.office_user_id,
            PASSWORD,
            terminal,
        )
        .await
        .unwrap_err();
        assert_eq!(
            (status, error.code.as_str()),
            (StatusCode::BAD_REQUEST, "auth.terminal_name"),
            "{terminal:?}"
        );
    }
    login_on_terminal(
        &relay,
        &client,
        CARE_MANAGER.personal_user_id,
        CARE_MANAGER.office_user_id,
        PASSWORD,
        &"あ".repeat(50),
    )
    .await
    .expect("50 characters are fine");
}

#[tokio::test]
async fn sessions_and_drafts_per_office_are_capped_with_clear_errors() {
    let relay = TestRelay::builder()
        .limits(|limits| {
            limits.max_sessions_per_office = 2;
            limits.max_drafts_per_office = 2;
        })
        .start()
        .await;
    let (client, token) = relay.https_login(CARE_MANAGER).await;
    relay.https_login(CARE_MANAGER).await;
    let third = relay.https(CARE_MANAGER);
    let login = || {
        login_with(
            &relay,
            &third,
            CARE_MANAGER.personal_user_id,
            CARE_MANAGER.office_user_id,
            PASSWORD,
        )
    };
    let (status, error) = login().await.unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::CONFLICT, "auth.too_many_sessions")
    );
    assert!(error.message.contains("2台"), "{}", error.message);
    // Another office is not affected; a logout makes room.
    relay.https_login(HOME_HELP).await;
    let out = client
        .post(relay.api_url("/v1/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let token = login().await.expect("room after a logout");

    let save = || {
        third
            .post(relay.api_url("/v1/drafts"))
            .bearer_auth(&token)
            .multipart(manifest_form(&serde_json::json!({"to": ""}), &[]))
            .send()
    };
    for _ in 0..2 {
        assert_eq!(save().await.unwrap().status(), StatusCode::CREATED);
    }
    let (status, error) = ok_json::<serde_json::Value>(save().await.unwrap())
        .await
        .unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::CONFLICT, "draft.too_many")
    );
    assert!(error.message.contains("2件"), "{}", error.message);
}
