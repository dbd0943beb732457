//! Who is making the request.
//!
//! Every browser carries one cookie. When it holds the token of a live session, the visitor is
//! that member or staff user; otherwise it is an anonymous value that only binds CSRF tokens.
//! The [`resolve_visitor`] middleware reads it once per request (one session lookup), sets it
//! when missing, and leaves a [`Visitor`] in the request extensions for extractors and error
//! pages.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, SameSite};
use caisse_core::audit::RequestContext;
use caisse_core::people::Person;
use caisse_core::sessions::ActiveSession;
use caisse_core::staff::StaffRole;
use caisse_core::tokens::{random_token, sign};
use secrecy::ExposeSecret;
use uuid::Uuid;

use crate::error::AppError;
use crate::layout::{Flash, MenuBadges, address_notice};
use crate::state::AppState;

/// The logged-in person, as pages need it. `Debug` shows ids and roles, never a name.
#[derive(Clone)]
pub enum Viewer {
    /// Nobody logged in.
    Anonymous,
    /// An insured member.
    Member {
        /// Member id.
        id: Uuid,
        /// Name shown in the header.
        display_name: String,
    },
    /// A back-office user.
    Staff {
        /// Staff id.
        id: Uuid,
        /// Name shown in the header.
        display_name: String,
        /// Role.
        role: StaffRole,
        /// Fund code.
        caisse_code: String,
    },
}

/// The resolved visitor of a request. `Debug` shows neither the cookie (a session token) nor
/// the CSRF token.
#[derive(Clone)]
pub struct Visitor {
    /// The cookie value (session token or anonymous value).
    pub cookie_value: String,
    /// The CSRF token for forms: a signature of the cookie value.
    pub csrf_token: String,
    /// The live session, when logged in.
    pub session: Option<ActiveSession>,
    /// Who that is.
    pub viewer: Viewer,
    /// A notice the address asks for (see [`crate::layout::address_notice`]).
    pub notice: Option<Flash>,
    /// A member's menu counts, read once per request (see [`MenuBadges::of`]).
    pub badges: MenuBadges,
}

impl std::fmt::Debug for Viewer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Viewer::Anonymous => f.write_str("Anonymous"),
            Viewer::Member { id, .. } => f
                .debug_struct("Member")
                .field("id", id)
                .finish_non_exhaustive(),
            Viewer::Staff {
                id,
                role,
                caisse_code,
                ..
            } => f
                .debug_struct("Staff")
                .field("id", id)
                .field("role", role)
                .field("caisse_code", caisse_code)
                .finish_non_exhaustive(),
        }
    }
}

impl std::fmt::Debug for Visitor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Visitor")
            .field("viewer", &self.viewer)
            .field("logged_in", &self.session.is_some())
            .finish_non_exhaustive()
    }
}

/// The cookie's name: `__Host-` prefixed over HTTPS, which pins it to this host and path `/`.
pub fn cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-caisse_sid"
    } else {
        "caisse_sid"
    }
}

/// A `Set-Cookie` value with our fixed attributes: path `/`, HttpOnly, SameSite=Lax, Secure
/// over HTTPS; a session cookie unless `max_age` is given.
fn set_cookie(
    name: &'static str,
    value: &str,
    https: bool,
    max_age: Option<time::Duration>,
) -> Option<HeaderValue> {
    let mut cookie = Cookie::build((name, value.to_owned()))
        .path("/")
        .http_only(true)
        .secure(https)
        .same_site(SameSite::Lax);
    if let Some(age) = max_age {
        cookie = cookie.max_age(age);
    }
    HeaderValue::from_str(&cookie.build().to_string()).ok()
}

/// Builds the `Set-Cookie` header value for a visitor cookie.
pub fn cookie_header(value: &str, https: bool) -> Option<HeaderValue> {
    set_cookie(cookie_name(https), value, https, None)
}

/// The value of a cookie of the request, when it has a plausible token length.
pub fn read_cookie(parts: &axum::http::HeaderMap, name: &str) -> Option<String> {
    parts
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| Cookie::parse(pair.trim().to_owned()).ok())
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
        .filter(|v| (20..=128).contains(&v.len()))
}

/// The trusted-device cookie's name.
pub fn device_cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-caisse_device"
    } else {
        "caisse_device"
    }
}

/// The `Set-Cookie` value that remembers a trusted device for 400 days (the longest lifetime
/// browsers accept).
pub fn device_cookie_header(token: &str, https: bool) -> Option<HeaderValue> {
    set_cookie(
        device_cookie_name(https),
        token,
        https,
        Some(time::Duration::days(400)),
    )
}

/// Middleware: resolves the visitor and sets the cookie when the browser has none.
pub async fn resolve_visitor(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let https = state.config.https;
    let existing = read_cookie(request.headers(), cookie_name(https));
    let (cookie_value, is_new) = match existing {
        Some(value) => (value, false),
        None => match random_token() {
            Ok(value) => (value, true),
            Err(error) => return AppError::unexpected(error).into_response(),
        },
    };
    let mut visitor = match build_visitor(&state, cookie_value, is_new).await {
        Ok(visitor) => visitor,
        Err(error) => return error.into_response(),
    };
    visitor.notice = address_notice(request.uri().path(), request.uri().query());
    if let Viewer::Member { id, .. } = visitor.viewer {
        visitor.badges = MenuBadges::of(&state, id).await;
    }
    let set_cookie = is_new
        .then(|| cookie_header(&visitor.cookie_value, https))
        .flatten();
    request.extensions_mut().insert(visitor);
    let mut response = next.run(request).await;
    if let Some(value) = set_cookie {
        // A handler that logged someone in has already set its own cookie: keep that one.
        if !response.headers().contains_key(header::SET_COOKIE) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

async fn build_visitor(
    state: &AppState,
    cookie_value: String,
    is_new: bool,
) -> Result<Visitor, AppError> {
    // Masked afresh for each response (BREACH): see `csrf`.
    let csrf_token = crate::csrf::masked(&sign(
        state.config.secret_key.expose_secret(),
        &cookie_value,
    ));
    let session = if is_new {
        None
    } else {
        state.sessions.resolve(&cookie_value).await?
    };
    let person = match &session {
        None => None,
        Some(s) => state.people.identify(s).await?,
    };
    let viewer = match person {
        None => Viewer::Anonymous,
        Some(Person::Member { id, display_name }) => Viewer::Member { id, display_name },
        Some(Person::Staff(p)) => Viewer::Staff {
            id: p.id,
            display_name: p.display_name,
            role: p.role,
            caisse_code: p.caisse_code,
        },
    };
    let session = if matches!(viewer, Viewer::Anonymous) {
        None
    } else {
        session
    };
    Ok(Visitor {
        cookie_value,
        csrf_token,
        session,
        viewer,
        notice: None,
        badges: MenuBadges::default(),
    })
}

/// Reads a value the visitor middleware left in the request.
fn from_middleware<T: Clone + Send + Sync + 'static>(parts: &Parts) -> Result<T, AppError> {
    parts
        .extensions
        .get::<T>()
        .cloned()
        .ok_or_else(|| AppError::unexpected("visitor middleware missing"))
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        from_middleware(parts)
    }
}

/// Where the request comes from (address, user agent), for audit and session records.
#[derive(Clone, Debug)]
pub struct Client(pub RequestContext);

impl FromRequestParts<AppState> for Client {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ip = crate::rate_limit::client_ip_of(
            &parts.headers,
            &parts.extensions,
            state.config.trust_forwarded_for,
        );
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .chars()
            .take(256)
            .collect();
        Ok(Client(RequestContext {
            ip: ip.to_string(),
            user_agent,
        }))
    }
}

/// A logged-in member; other visitors are sent to the login page.
#[derive(Clone, Debug)]
pub struct CurrentMember {
    /// Member id.
    pub id: Uuid,
    /// The visitor (for the layout).
    pub visitor: Visitor,
}

/// Rejection that sends the browser to a login page, remembering where it was going.
#[derive(Debug)]
pub struct LoginRedirect(String);

impl IntoResponse for LoginRedirect {
    fn into_response(self) -> Response {
        see_other(&self.0)
    }
}

fn login_redirect(login_path: &str, parts: &Parts) -> LoginRedirect {
    let target = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    LoginRedirect(format!("{login_path}?suite={}", urlencode(target)))
}

/// Percent-encodes a path for use inside a query string.
pub fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentMember {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let visitor = Visitor::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        match visitor.viewer {
            Viewer::Member { id, .. } => Ok(CurrentMember { id, visitor }),
            Viewer::Staff { .. } => Err(AppError::Forbidden.into_response()),
            Viewer::Anonymous => Err(login_redirect("/connexion", parts).into_response()),
        }
    }
}

/// A logged-in staff user; other visitors are sent to the staff login page.
#[derive(Clone, Debug)]
pub struct CurrentStaff {
    /// Staff id.
    pub id: Uuid,
    /// Role.
    pub role: StaffRole,
    /// The visitor (for the layout).
    pub visitor: Visitor,
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentStaff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let visitor = Visitor::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        match visitor.viewer {
            Viewer::Staff { id, role, .. } => Ok(CurrentStaff { id, role, visitor }),
            Viewer::Member { .. } => Err(AppError::Forbidden.into_response()),
            Viewer::Anonymous => Err(login_redirect("/agent/connexion", parts).into_response()),
        }
    }
}

impl CurrentStaff {
    /// Supervisors and administrators pass (print queue, dashboard, médiateur); a
    /// conseiller gets 403.
    pub fn require_supervisor(&self) -> Result<(), AppError> {
        match self.role {
            StaffRole::Superviseur | StaffRole::Administrateur => Ok(()),
            StaffRole::Conseiller => Err(AppError::Forbidden),
        }
    }
}

/// A logged-in administrator; other staff get 403.
#[derive(Clone, Debug)]
pub struct CurrentAdmin(pub CurrentStaff);

impl<S: Send + Sync> FromRequestParts<S> for CurrentAdmin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let staff = CurrentStaff::from_request_parts(parts, state).await?;
        if staff.role == StaffRole::Administrateur {
            Ok(CurrentAdmin(staff))
        } else {
            Err(AppError::Forbidden.into_response())
        }
    }
}

/// Keeps only paths of this portal as post-login destinations, so `?suite=` cannot send a
/// member to another site (open redirect); anything else becomes `/`.
///
/// A destination is kept only when it is a path and query of visible ASCII (percent-encoded
/// otherwise: no control character, no space, since browsers drop tabs and newlines and turn
/// `/\t/evil.example` into `//evil.example`), starts with one `/` and not two, holds no
/// backslash (read as `/` by browsers), and parses as an origin-form path with no scheme or
/// authority. Such a value is always a valid `Location` header.
pub fn safe_next(next: &str) -> &str {
    if is_portal_path(next) { next } else { "/" }
}

fn is_portal_path(candidate: &str) -> bool {
    candidate.starts_with('/')
        && !candidate.starts_with("//")
        && candidate
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'\\')
        && candidate
            .parse::<axum::http::Uri>()
            .is_ok_and(|uri| uri.scheme().is_none() && uri.authority().is_none())
}

/// A `303 See Other` to `location`, or to `/` when it cannot be a header value: never a panic
/// (axum's `Redirect::to` panics on such a value).
pub fn see_other(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => (StatusCode::SEE_OTHER, [(header::LOCATION, value)]).into_response(),
        Err(_) => Redirect::to("/").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_neither_the_tokens_nor_the_name() {
        let visitor = Visitor {
            cookie_value: "session-token-0123456789".to_owned(),
            csrf_token: "csrf-token-9876543210".to_owned(),
            session: Some(ActiveSession {
                token_hash: "digest-of-the-token".to_owned(),
                kind: caisse_core::sessions::SubjectKind::Member,
                subject_id: Uuid::nil(),
            }),
            viewer: Viewer::Member {
                id: Uuid::nil(),
                display_name: "Alex TEST".to_owned(),
            },
            notice: None,
            badges: MenuBadges::default(),
        };
        let layout = crate::layout::Layout::new(
            &visitor,
            &crate::config::Brand::default(),
            "Accueil",
            "accueil",
        );
        for shown in [format!("{visitor:?}"), format!("{layout:?}")] {
            for hidden in ["session-token", "csrf-token", "digest-of", "Alex"] {
                assert!(!shown.contains(hidden), "{shown}");
            }
            assert!(shown.contains(&Uuid::nil().to_string()), "{shown}");
        }
        let staff = Viewer::Staff {
            id: Uuid::nil(),
            display_name: "Marie Curie".to_owned(),
            role: StaffRole::Conseiller,
            caisse_code: "751".to_owned(),
        };
        let shown = format!("{staff:?}");
        assert!(shown.contains("751") && !shown.contains("Marie"), "{shown}");
    }

    #[test]
    fn only_local_destinations_are_followed() {
        assert_eq!(safe_next("/messagerie?page=2"), "/messagerie?page=2");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next(""), "/");
        assert_eq!(safe_next("/profil?x=%2F%2Fa#b"), "/profil?x=%2F%2Fa#b");
    }

    #[test]
    fn browsers_tricks_on_destinations_are_refused() {
        for hostile in [
            "/\t/evil.example/",
            "/\n/evil.example",
            "/\r\nSet-Cookie: x=1",
            "/ /evil.example",
            "\\\\evil.example",
            "/\\/evil.example",
            "/a\\b",
            "http:/evil.example",
            "javascript:alert(1)",
            "/é",
            "/\u{7f}",
            "evil.example",
        ] {
            assert_eq!(safe_next(hostile), "/", "{hostile:?}");
        }
    }

    #[test]
    fn a_redirect_to_a_bad_header_value_goes_home_instead_of_panicking() {
        let response = see_other("/\r\nx");
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[header::LOCATION], "/");
        assert_eq!(see_other("/profil").headers()[header::LOCATION], "/profil");
    }

    #[test]
    fn paths_are_encoded_for_query_strings() {
        assert_eq!(urlencode("/profil?x=1&y"), "/profil%3Fx%3D1%26y");
    }
}
