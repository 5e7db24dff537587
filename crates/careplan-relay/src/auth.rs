//! Passwords (argon2id), tokens (random, stored hashed, expiring) and the certificate check. The
//! session every API call after login carries is in [`crate::access`].

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Argon2, PasswordHash};
use axum::http::StatusCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use sha2::{Digest, Sha256};

use crate::clock::now_ms;
use crate::error::RelayError;
use crate::store::CertificateRow;
use crate::tls::ClientCert;
use crate::AppState;

/// The threads that hash passwords. argon2id takes 19 MiB and tens of milliseconds of CPU per hash;
/// a fixed pool bounds what a storm of logins can take (requests queue instead) and keeps the
/// allocator arenas that see those blocks few (see `tune_allocator`).
struct HashingPool {
    jobs: Mutex<std::sync::mpsc::Sender<Box<dyn FnOnce() + Send>>>,
}

fn hashing_pool() -> &'static HashingPool {
    static POOL: OnceLock<HashingPool> = OnceLock::new();
    POOL.get_or_init(|| {
        let (sender, receiver) = std::sync::mpsc::channel::<Box<dyn FnOnce() + Send>>();
        let receiver = Arc::new(Mutex::new(receiver));
        let threads = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(1, 4);
        for n in 0..threads {
            let receiver = receiver.clone();
            std::thread::Builder::new()
                .name(format!("password-hash-{n}"))
                .spawn(move || loop {
                    let job = receiver.lock().map(|r| r.recv());
                    match job {
                        Ok(Ok(job)) => job(),
                        _ => return,
                    }
                })
                .expect("spawn a password hashing thread");
        }
        HashingPool {
            jobs: Mutex::new(sender),
        }
    })
}

async fn on_hashing_pool<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, RelayError> {
    let (done, result) = tokio::sync::oneshot::channel();
    let job: Box<dyn FnOnce() + Send> = Box::new(move || {
        let _ = done.send(work());
    });
    hashing_pool()
        .jobs
        .lock()
        .map_err(|_| RelayError::Internal("password hashing pool poisoned".into()))?
        .send(job)
        .map_err(|_| RelayError::Internal("password hashing pool stopped".into()))?;
    result
        .await
        .map_err(|_| RelayError::Internal("password hashing job lost".into()))
}

/// Hashes a password with argon2id (OWASP minimum parameters: 19 MiB, 2 passes).
pub async fn hash_password(password: &str) -> Result<String, RelayError> {
    let password = password.to_owned();
    on_hashing_pool(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| RelayError::Internal(format!("password hash: {e}")))
    })
    .await?
}

/// Password checks made since the process started: a test can see that an unknown ID costs the same
/// work as a known one.
static VERIFICATIONS: AtomicU64 = AtomicU64::new(0);

pub fn verifications() -> u64 {
    VERIFICATIONS.load(Ordering::Relaxed)
}

pub async fn verify_password(password: &str, hash: &str) -> bool {
    let (password, hash) = (password.to_owned(), hash.to_owned());
    VERIFICATIONS.fetch_add(1, Ordering::Relaxed);
    on_hashing_pool(move || {
        PasswordHash::new(&hash).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false)
}

/// Checks a password against a hash no password matches, made with the same parameters as the real
/// ones: an ID the asking office does not have costs as much as a real one, so the time of the answer
/// does not tell whether the ID exists.
pub async fn verify_against_nothing(password: &str) -> Result<(), RelayError> {
    static NOTHING: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    let hash = NOTHING
        .get_or_try_init(|| async { hash_password(&hex::encode(rand::random::<[u8; 32]>())).await })
        .await?;
    verify_password(password, hash).await;
    Ok(())
}

/// A new bearer token (256 random bits, hex) and the hash under which it is stored.
pub fn new_token() -> (String, String) {
    let token = hex::encode(rand::random::<[u8; 32]>());
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The registered certificate of this connection: known to the register, not revoked, in date.
pub async fn registered_certificate(
    state: &AppState,
    client: &ClientCert,
) -> Result<CertificateRow, RelayError> {
    let Some(cert) = state
        .store
        .certificates()
        .by_fingerprint(&client.fingerprint)
        .await?
    else {
        return Err(RelayError::api(
            StatusCode::UNAUTHORIZED,
            "auth.certificate_unknown",
            "この電子証明書は連携基盤に登録されていません。事業所に発行された電子証明書を設定してください。",
        ));
    };
    // The office is known from here on: its requests count against its rate limit even when the
    // certificate is refused, so a revoked certificate cannot be used to flood the relay.
    tracing::Span::current().record("office", cert.office_number.as_str());
    state.rate.check(&cert.office_number)?;
    if cert.revoked_at.is_some() {
        return Err(RelayError::api(
            StatusCode::UNAUTHORIZED,
            "auth.certificate_revoked",
            "この電子証明書は失効しています。新しい電子証明書を取得して設定し直してください。",
        ));
    }
    let now = now_ms();
    if now > cert.not_after || now < cert.not_before {
        return Err(RelayError::api(
            StatusCode::UNAUTHORIZED,
            "auth.certificate_expired",
            format!(
                "電子証明書の有効期限（{}まで）が切れています。証明書を更新して設定し直してください。",
                crate::clock::to_datetime(cert.not_after).date()
            ),
        ));
    }
    Ok(cert)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("正しいパスワード1").await.unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("正しいパスワード1", &hash).await);
        assert!(!verify_password("違うパスワード", &hash).await);
        assert!(!verify_password("x", "not a hash").await);
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, hash_a) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_hash(&a), hash_a);
        assert_ne!(a, hash_a);
    }
}
