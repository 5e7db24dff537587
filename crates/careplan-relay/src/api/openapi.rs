//! The relay's OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]` descriptions
//! and the wire types of `careplan-api`; served at `GET /v1/openapi.json` (no login, but on the mutual
//! TLS listener like everything else) and committed as `docs/openapi.json` (a test keeps the two
//! equal).

use std::sync::Arc;

use axum::{Extension, Json};
use careplan_api::{BulkManifest, SendManifest};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi;
use utoipa::ToSchema;

/// A send's (and a draft's) multipart body: the manifest as JSON, and the files.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SendForm {
    manifest: SendManifest,
    /// The files, each with its name in the part's `filename`.
    #[schema(value_type = Vec<String>, format = Binary)]
    file: Vec<Vec<u8>>,
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
                    Encoding::builder().content_type(Some("application/json")).build(),
                );
            }
        }
    }
}

/// The document as served and committed.
pub fn finished(mut document: OpenApi) -> OpenApi {
    manifest_parts_are_json(&mut document);
    document
}

#[utoipa::path(
    get,
    path = "/v1/openapi.json",
    tag = "meta",
    responses(
        (status = 200, description = "この API の OpenAPI 3.1 文書", content_type = "application/json", body = Object),
        (status = "default", description = "拒否", body = careplan_api::ApiError),
    )
)]
pub async fn serve(Extension(document): Extension<Arc<OpenApi>>) -> Json<OpenApi> {
    Json((*document).clone())
}
