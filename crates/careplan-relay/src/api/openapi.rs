//! The relay's OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]` descriptions
//! and the wire types of `careplan-api`; served at `GET /v1/openapi.json` (no login, but on the mutual
//! TLS listener like everything else) and committed as `docs/openapi.json` (a test keeps the two
//! equal).

use std::sync::Arc;

use axum::{Extension, Json};
use careplan_api::{BulkManifest, SendManifest};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{OpenApi, RefOr};
use utoipa::ToSchema;

/// A send's (and a draft's) multipart body: the manifest as JSON, and the files.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SendForm {
    manifest: SendManifest,
    /// The files, each with its name in the part's `filename` (a send needs one at least; a draft
    /// may have none yet).
    #[schema(value_type = Option<Vec<String>>, format = Binary)]
    file: Option<Vec<Vec<u8>>>,
}

/// A bulk send's multipart body: the optional manifest (メッセージ per destination), standard
/// files routed by the destination in their names (`file`), and attachments for one destination
/// (parts named `attachment.<事業所番号>`).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct BulkForm {
    manifest: Option<BulkManifest>,
    #[schema(value_type = Vec<String>, format = Binary)]
    file: Vec<Vec<u8>>,
}

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "ケアプランデータ連携基盤 API",
        description = "The relay's API: mutual TLS with the office's certificate on every request, a two-stage login, then `Authorization: Bearer <session_token>`. Every refusal is `ApiError` (`{code, message[, diagnostics]}`, the message in Japanese).",
        version = env!("CARGO_PKG_VERSION"),
    ),
    tags(
        (name = "login", description = "2段階ログイン"),
        (name = "home", description = "トップページと事業所"),
        (name = "exchange", description = "送信、一括送信、受信一覧・送信一覧、データ取得"),
        (name = "drafts", description = "下書き"),
        (name = "feed", description = "受信通知（件数とIDだけの変更フィード）"),
        (name = "meta", description = "この文書"),
    )
)]
struct ApiDoc;

/// What the routes add their paths to: the info, the tags, the session's security scheme.
pub fn document_base() -> OpenApi {
    let mut document = <ApiDoc as utoipa::OpenApi>::openapi();
    let components = document.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "session",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some("POST /v1/login/office の session_token"))
                .build(),
        ),
    );
    components.add_security_scheme(
        "feed_token",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some(
                    "POST /v1/events/token の token: 受信通知だけを読め、ログインの終わりまで有効",
                ))
                .build(),
        ),
    );
    document
}

/// Says that a multipart body's `manifest` part is JSON (utoipa's attribute has no word for it).
fn manifest_parts_are_json(document: &mut OpenApi) {
    use utoipa::openapi::encoding::Encoding;
    for item in document.paths.paths.values_mut() {
        for operation in [&mut item.post, &mut item.put].into_iter().flatten() {
            let Some(body) = operation.request_body.as_mut() else {
                continue;
            };
            if let Some(content) = body.content.get_mut("multipart/form-data") {
                content.encoding.insert(
                    "manifest".to_owned(),
                    Encoding::builder()
                        .content_type(Some("application/json"))
                        .build(),
                );
            }
        }
    }
}

/// Adds a link from an answer of `(path, method, status)` to the operation `to`: how a client (and
/// schemathesis' stateful tests) goes on from one answer to the next request.
fn link(
    document: &mut OpenApi,
    (path, method, status): (&str, &str, &str),
    to: &str,
    parameters: &[(&str, &str)],
    body: Option<serde_json::Value>,
) {
    use utoipa::openapi::link::Link;
    let Some(item) = document.paths.paths.get_mut(path) else {
        panic!("no path {path} to link from");
    };
    let operation = match method {
        "get" => item.get.as_mut(),
        "post" => item.post.as_mut(),
        "put" => item.put.as_mut(),
        _ => None,
    }
    .unwrap_or_else(|| panic!("no {method} {path} to link from"));
    let Some(RefOr::T(response)) = operation.responses.responses.get_mut(status) else {
        panic!("no {status} answer of {method} {path} to link from");
    };
    let mut builder = Link::builder().operation_id(to);
    for (name, value) in parameters {
        builder = builder.parameter(*name, *value);
    }
    response
        .links
        .insert(to.to_owned(), RefOr::T(builder.request_body(body).build()));
}

/// The links of the exchange: log in (stage 1 → stage 2), send, then 受信一覧 → データ取得 → 済, and a
/// draft's life (save → open, replace, reopen a file, send, delete).
fn exchange_links(document: &mut OpenApi) {
    link(
        document,
        ("/v1/login/personal", "post", "200"),
        "login_office",
        &[],
        Some(serde_json::json!({"stage_token": "$response.body#/stage_token"})),
    );
    link(
        document,
        ("/v1/messages", "post", "201"),
        "outbox",
        &[],
        None,
    );
    link(
        document,
        ("/v1/messages", "post", "201"),
        "inbox",
        &[],
        None,
    );
    for (to, body) in [
        ("file_content", None),
        (
            "file_ack",
            Some(serde_json::json!({"sha256": "$response.body#/items/0/files/0/sha256"})),
        ),
    ] {
        link(
            document,
            ("/v1/inbox", "get", "200"),
            to,
            &[("id", "$response.body#/items/0/files/0/id")],
            body,
        );
    }
    link(
        document,
        ("/v1/files/{id}/content", "get", "200"),
        "file_ack",
        &[("id", "$request.path.id")],
        Some(serde_json::json!({"sha256": "$response.header.x-content-sha256"})),
    );
    for to in ["draft_get", "draft_replace", "draft_delete", "draft_send"] {
        link(
            document,
            ("/v1/drafts", "post", "201"),
            to,
            &[("id", "$response.body#/id")],
            None,
        );
    }
    link(
        document,
        ("/v1/drafts", "post", "201"),
        "draft_file_content",
        &[
            ("id", "$response.body#/id"),
            ("file_id", "$response.body#/files/0/id"),
        ],
        None,
    );
}

/// utoipa 5 writes a link's fields in snake case; OpenAPI spells them in camel case.
fn camel_case_links(document: &mut serde_json::Value) {
    let Some(paths) = document["paths"].as_object_mut() else {
        return;
    };
    let responses = paths
        .values_mut()
        .filter_map(|item| item.as_object_mut())
        .flat_map(|item| item.values_mut())
        .filter_map(|operation| operation.get_mut("responses"))
        .filter_map(|responses| responses.as_object_mut())
        .flat_map(|responses| responses.values_mut());
    for response in responses {
        let Some(links) = response.get_mut("links").and_then(|l| l.as_object_mut()) else {
            continue;
        };
        for link in links.values_mut().filter_map(|l| l.as_object_mut()) {
            for (snake, camel) in [
                ("operation_id", "operationId"),
                ("operation_ref", "operationRef"),
                ("request_body", "requestBody"),
            ] {
                if let Some(value) = link.remove(snake) {
                    link.insert(camel.to_owned(), value);
                }
            }
        }
    }
}

/// The document as served and committed.
pub fn finished(mut document: OpenApi) -> serde_json::Value {
    manifest_parts_are_json(&mut document);
    exchange_links(&mut document);
    let mut json = serde_json::to_value(&document).expect("the document serialises");
    camel_case_links(&mut json);
    json
}

#[utoipa::path(
    get,
    path = "/v1/openapi.json",
    operation_id = "openapi_document",
    tag = "meta",
    responses(
        (status = 200, description = "この API の OpenAPI 3.1 文書", content_type = "application/json", body = Object),
        (status = "default", description = "拒否", body = careplan_api::ApiError),
    )
)]
pub async fn serve(
    Extension(document): Extension<Arc<serde_json::Value>>,
) -> Json<serde_json::Value> {
    Json((*document).clone())
}
