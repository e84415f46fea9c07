//! A small, real implementation of `spec/auth.yaml`, built on the generated server stubs
//! (`auth-api` with feature `server`).
//!
//! [`AuthService`] implements [`auth_api::AuthApi`]; [`app`] serves it with
//! [`auth_api::router`], which does all the HTTP work the contract describes (routes,
//! bearer-header parsing, body decoding and validation, the documented 400/401/404/405
//! envelopes). This crate only decides what each valid call means:
//!
//! - **Access tokens** are HS256 JWTs with the claims `sub` (user), `sid` (session id),
//!   `iat` and `exp`; they live [`Config::access_token_ttl`] (900 s by default, the spec
//!   example's `expiresIn`). A bearer token is accepted when its signature and expiry are
//!   valid *and* its session is still alive.
//! - **Refresh tokens** are opaque (48 random hex characters), kept in memory and rotated:
//!   `refreshToken` answers a new pair and the token sent stops working. A session is one
//!   chain of refresh tokens; its id is the `sid` of every access token issued along it.
//! - **Reuse detection**: presenting an already rotated refresh token again is answered
//!   401 *and ends its session* (the chain's current refresh token and every access token
//!   of the session stop working), as RFC 9700 §4.14.2 recommends: either the client or
//!   someone who stole the token is replaying it, and the server cannot tell which.
//! - **Revoking** a refresh token (RFC 7009) ends its session as well; logging out ends
//!   all sessions of the caller.
//!
//! | call | answer |
//! |---|---|
//! | `refreshToken` with an active refresh token | 200, a new pair |
//! | `refreshToken` with an unknown, rotated, revoked or expired one | 401 |
//! | `revokeRefreshToken` with an active token of the caller | 200 |
//! | … with a token of another user | 403 |
//! | … with an unknown token | 404 |
//! | … with a token of the caller that is no longer active | 409 |
//! | `logout` | 200, `sessionsEnded` = the caller's sessions that were alive |
//! | any secured call with a bad, expired or ended access token | 401 |
//!
//! Every error's `errors` starts with the message of the spec's example for that status
//! (see [`messages`]), then says what was wrong. Tokens are never logged and never
//! appear in `Debug` output.
//!
//! Sessions come from [`AuthService::seed_session`] (there is no login operation in the
//! contract): the binary seeds one per `--seed-user` and prints its refresh token.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use auth_api::{
    AuthApi, BearerToken, LogoutResponse, LogoutResult, RefreshTokenRequest, RefreshTokenResponse,
    RevokeRefreshTokenRequest, RevokeRefreshTokenResponse, TokenPair, TokenType,
};
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// The first message of each error status: the message of the spec's example for it.
pub mod messages {
    /// 401, the spec's `Unauthorized` example.
    pub const UNAUTHORIZED: &str = "Authentication required";
    /// 403, the spec's `Forbidden` example.
    pub const FORBIDDEN: &str = "Insufficient permissions";
    /// 404, the spec's `NotFound` example.
    pub const NOT_FOUND: &str = "Resource not found";
    /// 409, the spec's `Conflict` example.
    pub const CONFLICT: &str = "Resource already exists or cannot be changed in its current state";
}

/// Length of generated refresh tokens, in hex characters (24 random bytes).
pub const REFRESH_TOKEN_HEX_LEN: usize = 48;
/// The shortest refresh token the contract accepts (`minLength` of `refreshToken`).
pub const REFRESH_TOKEN_MIN_LEN: usize = 16;
/// The longest refresh token the contract accepts (`maxLength` of `refreshToken`).
pub const REFRESH_TOKEN_MAX_LEN: usize = 4096;

/// How often expired refresh tokens and dead sessions are swept from memory, at most.
const PRUNE_INTERVAL_SECS: u64 = 60;

/// Settings of an [`AuthService`].
///
/// `Debug` never shows the secret.
#[derive(Clone)]
pub struct Config {
    /// The HMAC-SHA256 key of access tokens. Must not be empty; 32 bytes or more is
    /// what HS256 calls for.
    pub secret: Vec<u8>,
    /// Lifetime of access tokens (the `expiresIn` of every pair); whole seconds, at least
    /// one.
    pub access_token_ttl: Duration,
    /// Lifetime of each refresh token from the moment it is issued (sliding: every
    /// refresh issues a new one with the full lifetime).
    pub refresh_token_ttl: Duration,
}

impl Config {
    /// The default lifetimes (900 s access, 14 days refresh) with the given secret.
    pub fn with_secret(secret: impl Into<Vec<u8>>) -> Self {
        Config {
            secret: secret.into(),
            access_token_ttl: Duration::from_secs(900),
            refresh_token_ttl: Duration::from_secs(14 * 24 * 60 * 60),
        }
    }

    /// The default lifetimes and a random 32-byte secret from the OS: tokens die with the
    /// process.
    pub fn random() -> Self {
        Config::with_secret(random_bytes::<32>().to_vec())
    }

    /// Checks the settings: a non-empty secret and lifetimes of at least one second
    /// (the access-token lifetime must also fit `expiresIn`, an `int32`).
    ///
    /// # Errors
    ///
    /// The first problem found, as a sentence.
    pub fn validate(&self) -> Result<(), String> {
        if self.secret.is_empty() {
            return Err("the JWT secret is empty".to_owned());
        }
        let access = self.access_token_ttl.as_secs();
        if access == 0 || i32::try_from(access).is_err() {
            return Err(format!(
                "the access-token lifetime must be between 1 and {} seconds",
                i32::MAX
            ));
        }
        if self.refresh_token_ttl.as_secs() == 0 {
            return Err("the refresh-token lifetime must be at least 1 second".to_owned());
        }
        Ok(())
    }
}

impl Default for Config {
    /// [`Config::random`].
    fn default() -> Self {
        Config::random()
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Config")
            .field(
                "secret",
                &format_args!("<redacted, {} bytes>", self.secret.len()),
            )
            .field("access_token_ttl", &self.access_token_ttl)
            .field("refresh_token_ttl", &self.refresh_token_ttl)
            .finish()
    }
}

/// Why a session could not be seeded with a chosen refresh token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeedError {
    /// The token is shorter than 16 or longer than 4096 characters: the contract's
    /// `refreshToken` constraints, so the router would refuse it with a 400.
    Length {
        /// Its length in characters.
        length: usize,
    },
    /// The token contains whitespace or control characters.
    NotPrintable,
    /// The token is already in use.
    Duplicate,
    /// The user name is empty.
    EmptyUser,
}

impl fmt::Display for SeedError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SeedError::Length { length } => write!(
                formatter,
                "a refresh token must have {REFRESH_TOKEN_MIN_LEN} to {REFRESH_TOKEN_MAX_LEN} characters, this one has {length}"
            ),
            SeedError::NotPrintable => formatter
                .write_str("a refresh token must not contain whitespace or control characters"),
            SeedError::Duplicate => formatter.write_str("that refresh token is already in use"),
            SeedError::EmptyUser => formatter.write_str("the user name is empty"),
        }
    }
}

impl std::error::Error for SeedError {}

/// The claims of an access token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user.
    pub sub: String,
    /// The session the token was issued in.
    pub sid: String,
    /// Issued at, seconds since the Unix epoch.
    pub iat: u64,
    /// Expires at, seconds since the Unix epoch.
    pub exp: u64,
}

impl fmt::Debug for Claims {
    /// Shows the user and the times; the session id only by its first characters (it is
    /// not a credential, but there is no reason to spread it).
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Claims")
            .field("sub", &self.sub)
            .field("sid", &SessionTag(&self.sid))
            .field("iat", &self.iat)
            .field("exp", &self.exp)
            .finish()
    }
}

/// A session id as logs show it: its first 8 characters.
struct SessionTag<'a>(&'a str);

impl fmt::Debug for SessionTag<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, formatter)
    }
}

impl fmt::Display for SessionTag<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let end = self
            .0
            .char_indices()
            .nth(8)
            .map_or(self.0.len(), |(i, _)| i);
        write!(formatter, "{}…", &self.0[..end])
    }
}

/// A refresh token as a map key: compared and hashed by value, never shown by `Debug`.
#[derive(Clone, PartialEq, Eq, Hash)]
struct TokenKey(String);

impl std::borrow::Borrow<str> for TokenKey {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for TokenKey {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("TokenKey(<redacted>)")
    }
}

/// Why a refresh token stopped working.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ended {
    /// It was exchanged for a new pair.
    Rotated,
    /// `revokeRefreshToken` revoked it.
    Revoked,
    /// Its user logged out.
    LoggedOut,
    /// A rotated token of its session was presented again.
    ReuseDetected,
}

#[derive(Debug)]
struct RefreshRecord {
    user: String,
    session: String,
    expires_at: u64,
    ended: Option<Ended>,
}

#[derive(Debug)]
struct Session {
    user: String,
    /// The refresh token that continues the session (the last one issued).
    current: TokenKey,
    /// `None` while the session is alive.
    ended: Option<Ended>,
    /// When the current refresh token expires: after it (plus an access-token lifetime)
    /// nothing of the session can be used any more and it is swept.
    expires_at: u64,
}

#[derive(Debug, Default)]
struct State {
    sessions: HashMap<String, Session>,
    refresh_tokens: HashMap<TokenKey, RefreshRecord>,
    last_prune: u64,
}

impl State {
    /// Ends session `id` (if alive) and the refresh token that would continue it.
    /// Returns whether it was alive.
    fn end_session(&mut self, id: &str, why: Ended) -> bool {
        let Some(session) = self.sessions.get_mut(id) else {
            return false;
        };
        if session.ended.is_some() {
            return false;
        }
        session.ended = Some(why);
        if let Some(record) = self.refresh_tokens.get_mut(&session.current) {
            record.ended.get_or_insert(why);
        }
        true
    }

    /// Drops expired refresh tokens and sessions nothing can use any more (at most once
    /// per [`PRUNE_INTERVAL_SECS`]).
    fn prune(&mut self, now: u64, access_ttl: u64) {
        if now < self.last_prune + PRUNE_INTERVAL_SECS {
            return;
        }
        self.last_prune = now;
        self.refresh_tokens
            .retain(|_, record| record.expires_at > now);
        self.sessions
            .retain(|_, session| session.expires_at.saturating_add(access_ttl) > now);
    }
}

struct Inner {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    access_ttl: u64,
    refresh_ttl: u64,
    state: Mutex<State>,
}

/// The auth service: implements [`AuthApi`] on in-memory state.
///
/// Cloning is cheap and clones share the state, so a test or the binary can keep a
/// handle to seed sessions after handing one to [`app`].
#[derive(Clone)]
pub struct AuthService {
    inner: Arc<Inner>,
}

impl fmt::Debug for AuthService {
    /// Counts only: no token, no secret.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        let alive = state
            .sessions
            .values()
            .filter(|session| session.ended.is_none())
            .count();
        formatter
            .debug_struct("AuthService")
            .field("sessions", &state.sessions.len())
            .field("alive_sessions", &alive)
            .field("refresh_tokens", &state.refresh_tokens.len())
            .field("access_token_ttl_secs", &self.inner.access_ttl)
            .finish()
    }
}

/// The outcome of checking a bearer token.
type Authenticated = Result<Claims, String>;

impl AuthService {
    /// A service with no sessions yet.
    ///
    /// # Panics
    ///
    /// If `config` is invalid (see [`Config::validate`]).
    pub fn new(config: Config) -> Self {
        if let Err(problem) = config.validate() {
            panic!("invalid auth-service configuration: {problem}");
        }
        let mut validation = Validation::new(Algorithm::HS256);
        // Expiry is exact: an access token is refused from the second after `exp`.
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub"]);
        AuthService {
            inner: Arc::new(Inner {
                encoding: EncodingKey::from_secret(&config.secret),
                decoding: DecodingKey::from_secret(&config.secret),
                validation,
                access_ttl: config.access_token_ttl.as_secs(),
                refresh_ttl: config.refresh_token_ttl.as_secs(),
                state: Mutex::new(State::default()),
            }),
        }
    }

    /// Lifetime of access tokens, in seconds (the `expiresIn` of every pair).
    pub fn access_token_ttl(&self) -> u64 {
        self.inner.access_ttl
    }

    /// Starts a new session for `user` and returns its first refresh token (48 random hex
    /// characters). Each call is one more session: a user seeded twice has two.
    ///
    /// # Panics
    ///
    /// If `user` is empty.
    pub fn seed_session(&self, user: &str) -> String {
        loop {
            let token = random_hex::<{ REFRESH_TOKEN_HEX_LEN / 2 }>();
            match self.seed_session_with_token(user, &token) {
                Ok(()) => return token,
                // 192 random bits do not collide; if they ever did, draw again.
                Err(SeedError::Duplicate) => continue,
                Err(error) => panic!("cannot seed a session: {error}"),
            }
        }
    }

    /// Starts a new session for `user` whose first refresh token is `refresh_token`, for
    /// testers who want a token known in advance.
    ///
    /// # Errors
    ///
    /// When the token breaks the contract's constraints or is already in use, or the user
    /// name is empty.
    pub fn seed_session_with_token(
        &self,
        user: &str,
        refresh_token: &str,
    ) -> Result<(), SeedError> {
        if user.is_empty() {
            return Err(SeedError::EmptyUser);
        }
        let length = refresh_token.chars().count();
        if !(REFRESH_TOKEN_MIN_LEN..=REFRESH_TOKEN_MAX_LEN).contains(&length) {
            return Err(SeedError::Length { length });
        }
        if refresh_token
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(SeedError::NotPrintable);
        }
        let now = now();
        let mut state = self.state();
        if state.refresh_tokens.contains_key(refresh_token) {
            return Err(SeedError::Duplicate);
        }
        let session_id = random_hex::<16>();
        let key = TokenKey(refresh_token.to_owned());
        let expires_at = now.saturating_add(self.inner.refresh_ttl);
        state.refresh_tokens.insert(
            key.clone(),
            RefreshRecord {
                user: user.to_owned(),
                session: session_id.clone(),
                expires_at,
                ended: None,
            },
        );
        state.sessions.insert(
            session_id.clone(),
            Session {
                user: user.to_owned(),
                current: key,
                ended: None,
                expires_at,
            },
        );
        tracing::info!(user, session = %SessionTag(&session_id), "session seeded");
        Ok(())
    }

    /// How many sessions of `user` are alive.
    pub fn alive_sessions(&self, user: &str) -> usize {
        self.state()
            .sessions
            .values()
            .filter(|session| session.user == user && session.ended.is_none())
            .count()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // No code path leaves the state half-updated across a panic, so a poisoned lock
        // still guards consistent data.
        self.inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Checks a bearer token: signature, expiry, and that its session is alive. `Err` is
    /// the second message of the 401.
    fn authenticate(&self, token: &BearerToken) -> Authenticated {
        let claims = jsonwebtoken::decode::<Claims>(
            token.as_str(),
            &self.inner.decoding,
            &self.inner.validation,
        )
        .map_err(|error| {
            match error.kind() {
                ErrorKind::ExpiredSignature => "the access token has expired",
                ErrorKind::InvalidSignature => "the access token's signature is not valid",
                ErrorKind::InvalidAlgorithm | ErrorKind::MissingAlgorithm => {
                    "the access token is not signed with HS256"
                }
                ErrorKind::MissingRequiredClaim(_) | ErrorKind::InvalidClaimFormat(_) => {
                    "the access token lacks required claims"
                }
                _ => "the bearer token is not a valid access token",
            }
            .to_owned()
        })?
        .claims;
        let state = self.state();
        match state.sessions.get(&claims.sid) {
            Some(session) if session.user == claims.sub && session.ended.is_none() => {
                Ok(claims)
            }
            Some(Session {
                ended: Some(Ended::LoggedOut),
                ..
            }) => Err("the session of this access token ended at logout".to_owned()),
            Some(Session {
                ended: Some(Ended::Revoked),
                ..
            }) => Err("the session of this access token was revoked".to_owned()),
            Some(Session {
                ended: Some(Ended::ReuseDetected),
                ..
            }) => Err(
                "the session of this access token was ended because a used refresh token was presented again"
                    .to_owned(),
            ),
            _ => Err("the session of this access token does not exist".to_owned()),
        }
    }

    fn sign(&self, user: &str, session: &str, now: u64) -> String {
        let claims = Claims {
            sub: user.to_owned(),
            sid: session.to_owned(),
            iat: now,
            exp: now.saturating_add(self.inner.access_ttl),
        };
        jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.inner.encoding,
        )
        .expect("HS256 signing of serializable claims with an HMAC key cannot fail")
    }

    fn expires_in(&self) -> i32 {
        // Config::validate keeps it within 1..=i32::MAX.
        i32::try_from(self.inner.access_ttl).unwrap_or(i32::MAX)
    }
}

fn unauthorized_errors(detail: impl Into<String>) -> Vec<String> {
    vec![messages::UNAUTHORIZED.to_owned(), detail.into()]
}

impl AuthApi for AuthService {
    async fn logout(&self, auth: BearerToken) -> LogoutResponse {
        let claims = match self.authenticate(&auth) {
            Ok(claims) => claims,
            Err(why) => {
                tracing::info!(operation = "logout", status = 401, reason = %why);
                return LogoutResponse::unauthorized(unauthorized_errors(why));
            }
        };
        let ended = {
            let mut state = self.state();
            let alive: Vec<String> = state
                .sessions
                .iter()
                .filter(|(_, session)| session.user == claims.sub && session.ended.is_none())
                .map(|(id, _)| id.clone())
                .collect();
            for id in &alive {
                state.end_session(id, Ended::LoggedOut);
            }
            alive.len()
        };
        tracing::info!(operation = "logout", status = 200, user = %claims.sub, sessions_ended = ended);
        LogoutResponse::ok(LogoutResult {
            sessions_ended: i32::try_from(ended).unwrap_or(i32::MAX),
        })
    }

    async fn refresh_token(&self, body: RefreshTokenRequest) -> RefreshTokenResponse {
        let now = now();
        let new_token = random_hex::<{ REFRESH_TOKEN_HEX_LEN / 2 }>();
        let outcome = {
            let mut state = self.state();
            state.prune(now, self.inner.access_ttl);
            rotate(
                &mut state,
                &body.refresh_token,
                new_token,
                now,
                self.inner.refresh_ttl,
            )
        };
        match outcome {
            Ok((user, session, refresh_token)) => {
                tracing::info!(operation = "refreshToken", status = 200, user = %user, session = %SessionTag(&session), "rotated");
                RefreshTokenResponse::ok(TokenPair {
                    access_token: self.sign(&user, &session, now),
                    refresh_token,
                    expires_in: self.expires_in(),
                    token_type: TokenType::Bearer,
                })
            }
            Err(why) => {
                tracing::info!(operation = "refreshToken", status = 401, reason = why);
                RefreshTokenResponse::unauthorized(unauthorized_errors(why))
            }
        }
    }

    async fn revoke_refresh_token(
        &self,
        auth: BearerToken,
        body: RevokeRefreshTokenRequest,
    ) -> RevokeRefreshTokenResponse {
        let claims = match self.authenticate(&auth) {
            Ok(claims) => claims,
            Err(why) => {
                tracing::info!(operation = "revokeRefreshToken", status = 401, reason = %why);
                return RevokeRefreshTokenResponse::unauthorized(unauthorized_errors(why));
            }
        };
        let now = now();
        let mut state = self.state();
        let Some(record) = state.refresh_tokens.get(body.refresh_token.as_str()) else {
            drop(state);
            tracing::info!(operation = "revokeRefreshToken", status = 404, user = %claims.sub);
            return RevokeRefreshTokenResponse::not_found(vec![
                messages::NOT_FOUND.to_owned(),
                "no such refresh token".to_owned(),
            ]);
        };
        if record.user != claims.sub {
            drop(state);
            tracing::info!(operation = "revokeRefreshToken", status = 403, user = %claims.sub);
            return RevokeRefreshTokenResponse::forbidden(vec![
                messages::FORBIDDEN.to_owned(),
                "the refresh token belongs to another user".to_owned(),
            ]);
        }
        let why_not = match record.ended {
            Some(Ended::Revoked) => Some("the refresh token is already revoked"),
            Some(Ended::Rotated) => {
                Some("the refresh token was already exchanged for a new one and no longer works")
            }
            Some(Ended::LoggedOut) => Some("the refresh token's session already ended at logout"),
            Some(Ended::ReuseDetected) => Some(
                "the refresh token's session was already ended because a used refresh token was presented again",
            ),
            None if record.expires_at <= now => Some("the refresh token has expired"),
            None => None,
        };
        if let Some(why) = why_not {
            drop(state);
            tracing::info!(operation = "revokeRefreshToken", status = 409, user = %claims.sub, reason = why);
            return RevokeRefreshTokenResponse::conflict(vec![
                messages::CONFLICT.to_owned(),
                why.to_owned(),
            ]);
        }
        let session = record.session.clone();
        if let Some(record) = state.refresh_tokens.get_mut(body.refresh_token.as_str()) {
            record.ended = Some(Ended::Revoked);
        }
        state.end_session(&session, Ended::Revoked);
        drop(state);
        tracing::info!(operation = "revokeRefreshToken", status = 200, user = %claims.sub, session = %SessionTag(&session), "revoked; session ended");
        RevokeRefreshTokenResponse::ok(())
    }
}

/// Exchanges refresh token `presented` for `new_token` in its session. `Ok` is the user,
/// the session id and the new token; `Err` the second message of the 401.
fn rotate(
    state: &mut State,
    presented: &str,
    new_token: String,
    now: u64,
    refresh_ttl: u64,
) -> Result<(String, String, String), &'static str> {
    let record = state
        .refresh_tokens
        .get_mut(presented)
        .ok_or("unknown refresh token")?;
    match record.ended {
        None if record.expires_at <= now => return Err("the refresh token has expired"),
        None => {}
        Some(Ended::Rotated) => {
            // Replay of a token already exchanged: end the whole session (RFC 9700 §4.14.2).
            let session = record.session.clone();
            let user = record.user.clone();
            if state.end_session(&session, Ended::ReuseDetected) {
                tracing::warn!(user = %user, session = %SessionTag(&session), "a rotated refresh token was presented again; session ended");
            }
            return Err(
                "the refresh token was already used; its session has been ended as a precaution",
            );
        }
        Some(Ended::Revoked) => return Err("the refresh token has been revoked"),
        Some(Ended::LoggedOut) => return Err("the refresh token's session ended at logout"),
        Some(Ended::ReuseDetected) => {
            return Err(
                "the refresh token's session was ended because a used refresh token was presented again",
            );
        }
    }
    record.ended = Some(Ended::Rotated);
    let user = record.user.clone();
    let session_id = record.session.clone();
    let key = TokenKey(new_token.clone());
    let expires_at = now.saturating_add(refresh_ttl);
    state.refresh_tokens.insert(
        key.clone(),
        RefreshRecord {
            user: user.clone(),
            session: session_id.clone(),
            expires_at,
            ended: None,
        },
    );
    if let Some(session) = state.sessions.get_mut(&session_id) {
        session.current = key;
        session.expires_at = expires_at;
    }
    Ok((user, session_id, new_token))
}

/// The HTTP application: [`auth_api::router`] serving `service`, plus a
/// `WWW-Authenticate: Bearer error="invalid_token"` header on the service's own 401
/// answers (the router already sends `WWW-Authenticate: Bearer` on the 401s it answers
/// itself, for missing or malformed headers; RFC 9110 wants one on every 401).
pub fn app(service: AuthService) -> Router {
    auth_api::router(service).layer(axum::middleware::map_response(www_authenticate))
}

async fn www_authenticate(mut response: Response) -> Response {
    if response.status() == StatusCode::UNAUTHORIZED
        && !response.headers().contains_key(header::WWW_AUTHENTICATE)
    {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(r#"Bearer error="invalid_token""#),
        );
    }
    response
}

/// Which browser origins may call the service (CORS), for [`with_cors`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorsOrigins {
    /// Any origin.
    Any,
    /// Exactly these origins (`scheme://host[:port]`, as browsers send them).
    List(Vec<String>),
}

impl CorsOrigins {
    fn allows(&self, origin: &HeaderValue) -> bool {
        match self {
            CorsOrigins::Any => true,
            CorsOrigins::List(origins) => origins
                .iter()
                .any(|allowed| allowed.as_bytes() == origin.as_bytes()),
        }
    }
}

/// `router` answering browsers of `origins`: CORS preflights (`OPTIONS` with
/// `Access-Control-Request-Method`) get a 204 allowing `POST` with `Authorization` and
/// `Content-Type`; other answers to an allowed `Origin` carry
/// `Access-Control-Allow-Origin` (the origin itself, credentials allowed) and expose
/// `WWW-Authenticate`. Requests without an allowed `Origin` pass through untouched.
///
/// Off by default in the binary (`--cors-origin` turns it on); a dev-server proxy avoids
/// the need altogether.
pub fn with_cors(router: Router, origins: CorsOrigins) -> Router {
    router.layer(axum::middleware::from_fn_with_state(
        Arc::new(origins),
        cors,
    ))
}

async fn cors(
    axum::extract::State(origins): axum::extract::State<Arc<CorsOrigins>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let Some(origin) = request
        .headers()
        .get(header::ORIGIN)
        .filter(|origin| origins.allows(origin))
        .cloned()
    else {
        return next.run(request).await;
    };
    let preflight = request.method() == axum::http::Method::OPTIONS
        && request
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut response = if preflight {
        let mut response = Response::new(axum::body::Body::empty());
        *response.status_mut() = StatusCode::NO_CONTENT;
        let headers = response.headers_mut();
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("POST"),
        );
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("authorization, content-type"),
        );
        headers.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        response
    } else {
        let mut response = next.run(request).await;
        response.headers_mut().insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("www-authenticate"),
        );
        response
    };
    let headers = response.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("true"),
    );
    headers.append(header::VARY, HeaderValue::from_static("origin"));
    response
}

/// Seconds since the Unix epoch.
fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// `N` bytes from the operating system's CSPRNG.
fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system's random number generator failed");
    bytes
}

/// `N` random bytes as `2 * N` lowercase hex characters.
fn random_hex<const N: usize>() -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(2 * N);
    for byte in random_bytes::<N>() {
        text.push(char::from(HEX[usize::from(byte >> 4)]));
        text.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_hex_has_the_documented_shape() {
        let token = random_hex::<{ REFRESH_TOKEN_HEX_LEN / 2 }>();
        assert_eq!(token.len(), REFRESH_TOKEN_HEX_LEN);
        assert!(
            token
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert_ne!(token, random_hex::<{ REFRESH_TOKEN_HEX_LEN / 2 }>());
    }

    #[test]
    fn debug_output_shows_no_secret_and_no_token() {
        let config = Config::with_secret(b"super-secret-key-material-0123456789".to_vec());
        assert!(!format!("{config:?}").contains("super-secret"));
        let service = AuthService::new(config);
        let token = service.seed_session("demo");
        let state = format!("{:?}", *service.state());
        assert!(!state.contains(&token), "{state}");
        assert!(!format!("{service:?}").contains(&token));
    }

    #[test]
    fn config_validation() {
        assert!(Config::random().validate().is_ok());
        assert!(Config::with_secret(Vec::new()).validate().is_err());
        let mut config = Config::random();
        config.access_token_ttl = Duration::ZERO;
        assert!(config.validate().is_err());
        config.access_token_ttl = Duration::from_secs(u64::from(u32::MAX));
        assert!(config.validate().is_err());
    }

    #[test]
    fn seeding_checks_the_token() {
        let service = AuthService::new(Config::random());
        assert_eq!(
            service.seed_session_with_token("demo", "short"),
            Err(SeedError::Length { length: 5 })
        );
        assert_eq!(
            service.seed_session_with_token("demo", "has a space in the middle"),
            Err(SeedError::NotPrintable)
        );
        assert_eq!(
            service.seed_session_with_token("", "0123456789abcdef"),
            Err(SeedError::EmptyUser)
        );
        service
            .seed_session_with_token("demo", "0123456789abcdef")
            .unwrap();
        assert_eq!(
            service.seed_session_with_token("other", "0123456789abcdef"),
            Err(SeedError::Duplicate)
        );
        assert_eq!(service.alive_sessions("demo"), 1);
    }
}
