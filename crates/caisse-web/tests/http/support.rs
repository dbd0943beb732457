//! `TestApp`: the real router over a fresh database, with a browser-like cookie and helpers.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use caisse_core::auth::LoginSettings;
use caisse_core::clock::{Clock, ManualClock, SystemClock};
use caisse_core::files::ObjectFiles;
use caisse_core::outbox::{OutboxSeal, body_to_deliver};
use caisse_core::passwords::{HashParams, PasswordHasherPool};
use caisse_core::staff::{StaffDraft, StaffRole};
use caisse_core::staff_totp::{self, SealingKey, TotpSecret};
use caisse_core::{ServiceKeys, ServiceSettings, Services};
use caisse_domain::CaisseCode;
use caisse_test_support::TestDb;
use caisse_web::{AppState, Brand, WebConfig};
use secrecy::{ExposeSecret, SecretSlice};
use tower::ServiceExt;

pub const MEMBER_NIR: &str = "1 85 05 78 006 084 91";
pub const MEMBER_PASSWORD: &str = caisse_core::demo::DEMO_MEMBER_PASSWORD;
pub const STAFF_PASSWORD: &str = caisse_core::demo::DEMO_STAFF_PASSWORD;

pub struct TestApp {
    pub router: Router,
    /// The services behind the router, for the periodic jobs a test runs by hand.
    pub services: Services,
    /// The app's clock (staff codes are computed at its time).
    pub clock: Arc<dyn Clock>,
    /// Shared with the other browsers of the same app ([`TestApp::another_browser`]).
    pub db: Arc<TestDb>,
    /// Where the app keeps attachments (in memory), to check what was stored.
    pub files: Arc<ObjectFiles>,
    /// The app's hashing pool, to count the passwords and codes it checked.
    pub hasher: PasswordHasherPool,
    /// The key of the outbox's sealed bodies: tests read mails as the delivery worker would.
    pub seal: OutboxSeal,
    /// The key of the staff's TOTP secrets, for staff accounts a test creates.
    pub sealing: SealingKey,
    pub cookie: Option<String>,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    /// The body as received (downloads).
    pub bytes: Vec<u8>,
}

/// A file part of a multipart body: field name, file name, content.
pub type FilePart<'a> = (&'a str, &'a str, &'a [u8]);

/// A `multipart/form-data` body of these text fields then these files; returns the
/// content type (with its boundary) and the body.
pub fn multipart_body(fields: &[(&str, &str)], files: &[FilePart<'_>]) -> (String, Vec<u8>) {
    let boundary = "----caisse-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (name, file_name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; \
                 filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

impl TestResponse {
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    /// The value of the first `csrf_token` hidden field.
    pub fn csrf_token(&self) -> String {
        let marker = "name=\"csrf_token\" value=\"";
        let start = self.body.find(marker).expect("page has a CSRF field") + marker.len();
        let end = self.body[start..].find('"').expect("closing quote") + start;
        self.body[start..end].to_owned()
    }
}

/// A page with the values of its CSRF fields blanked: the token is masked afresh in every
/// response (BREACH), so two renders of the same page differ there and only there.
pub fn without_csrf(body: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find(marker) {
        let (before, after) = rest.split_at(at + marker.len());
        out.push_str(before);
        rest = after.find('"').map_or("", |end| &after[end..]);
    }
    out.push_str(rest);
    out
}

/// The path of the first link to `{base_url}{prefix}…` in a message body.
pub fn link_path(body: &str, prefix: &str) -> String {
    let base = "http://127.0.0.1:8080";
    let start = body
        .find(&format!("{base}{prefix}"))
        .unwrap_or_else(|| panic!("a link to {prefix} in {body}"))
        + base.len();
    body[start..].split_whitespace().next().unwrap().to_owned()
}

/// The fields of « Nouveau message » for a question about a feuille de soins, with this subject,
/// body and `action` (`verifier` or `envoyer`).
pub fn message_fields<'a>(
    subject: &'a str,
    body: &'a str,
    action: &'a str,
) -> [(&'static str, &'a str); 6] {
    [
        ("recipient", "caisse"),
        ("objet", "remboursement.feuille_de_soins"),
        ("nature", "demande_renseignements"),
        ("subject", subject),
        ("body", body),
        ("action", action),
    ]
}

/// The API's JSON of the same message as [`message_fields`].
pub fn message_json(subject: &str, body: &str) -> serde_json::Value {
    serde_json::json!({
        "recipient": "caisse",
        "objet": "remboursement.feuille_de_soins",
        "nature": "demande_renseignements",
        "subject": subject,
        "body": body,
    })
}

/// A bearer token of the member with this NIR and the demo password, from the API's login.
pub async fn api_token(app: &mut TestApp, nir: &str) -> String {
    let response = app
        .post_json(
            "/api/v1/auth/login",
            serde_json::json!({ "nir": nir, "password": MEMBER_PASSWORD }),
            None,
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let body: serde_json::Value = serde_json::from_str(&response.body).expect("JSON");
    body["token"].as_str().expect("a token").to_owned()
}

/// Login settings without the new-device code, for tests about something else.
pub fn no_device_check() -> LoginSettings {
    LoginSettings {
        new_device_confirmation: false,
        ..LoginSettings::default()
    }
}

pub fn cheap_hasher() -> PasswordHasherPool {
    PasswordHasherPool::new(
        HashParams {
            memory_kib: 64,
            iterations: 1,
            parallelism: 1,
        },
        2,
    )
    .expect("hasher")
}

/// What a test app is built from: the web layer's settings and the services'.
pub struct TestConfig {
    pub web: WebConfig,
    pub services: ServiceSettings,
}

/// The settings of « CPAM de test », without the new-device code.
pub fn config() -> TestConfig {
    let web = WebConfig::new(
        Brand {
            name: "CPAM de test".into(),
            ..Brand::default()
        },
        SecretSlice::from(b"0123456789abcdef0123456789abcdef".to_vec()),
    );
    let services = ServiceSettings {
        base_url: web.base_url.clone(),
        phone: web.brand.phone.clone(),
        fallback_fund_name: web.brand.name.clone(),
        login: no_device_check(),
        ..ServiceSettings::default()
    };
    TestConfig { web, services }
}

impl TestApp {
    /// An app over a migrated database holding the demo data.
    pub async fn with_demo_data() -> TestApp {
        TestApp::build(config(), true).await
    }

    pub async fn build(config: TestConfig, demo: bool) -> TestApp {
        let db = TestDb::new().await;
        TestApp::over(db, config, demo).await
    }

    pub async fn over(db: TestDb, config: TestConfig, demo: bool) -> TestApp {
        TestApp::assemble(db, config, demo, Arc::new(SystemClock)).await
    }

    /// An app with demo data whose clock the test moves.
    pub async fn with_clock(clock: ManualClock, login: LoginSettings) -> TestApp {
        let mut generous = config();
        generous.web.logins_per_minute_per_ip = 1000;
        generous.services.login = login;
        TestApp::assemble(TestDb::new().await, generous, true, Arc::new(clock)).await
    }

    /// The services built as the server builds them ([`Services::build`]), over an in-memory
    /// file store and cheap hashing.
    async fn assemble(
        db: TestDb,
        config: TestConfig,
        demo: bool,
        clock: Arc<dyn Clock>,
    ) -> TestApp {
        if std::env::var_os("TEST_LOG").is_some() {
            let _ = tracing_subscriber::fmt().with_test_writer().try_init();
        }
        let hasher = cheap_hasher();
        let keys =
            ServiceKeys::derive(config.web.secret_key.expose_secret()).expect("derived keys");
        if demo {
            caisse_core::demo::seed(&db.db, &hasher, &keys.sealing, clock.now())
                .await
                .expect("demo data");
        }
        caisse_web::install_metrics_recorder();
        let files = Arc::new(ObjectFiles::in_memory());
        let services = Services::build(
            db.db.clone(),
            clock.clone(),
            hasher.clone(),
            keys.clone(),
            files.clone(),
            config.services,
        );
        let state = AppState::new(services.clone(), config.web);
        TestApp {
            router: caisse_web::router(state),
            services,
            clock,
            db: Arc::new(db),
            files,
            hasher,
            seal: keys.outbox,
            sealing: keys.sealing,
            cookie: None,
        }
    }

    /// A second browser on the same app and database, without cookie.
    pub fn another_browser(&self) -> TestApp {
        TestApp {
            router: self.router.clone(),
            services: self.services.clone(),
            clock: self.clock.clone(),
            db: self.db.clone(),
            files: self.files.clone(),
            hasher: self.hasher.clone(),
            seal: self.seal.clone(),
            sealing: self.sealing.clone(),
            cookie: None,
        }
    }

    pub async fn send(&mut self, request: Request<Body>) -> TestResponse {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        if let Some(set_cookie) = headers
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
        {
            let pair = set_cookie.split(';').next().unwrap_or_default().to_owned();
            self.cookie = Some(pair);
        }
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    fn with_cookie(&self, builder: axum::http::request::Builder) -> axum::http::request::Builder {
        match &self.cookie {
            Some(cookie) => builder.header(header::COOKIE, cookie),
            None => builder,
        }
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        let request = self
            .with_cookie(Request::get(path))
            .body(Body::empty())
            .expect("request");
        self.send(request).await
    }

    /// An app with demo data and the new-device code turned on.
    pub async fn with_device_check() -> TestApp {
        let mut checking = config();
        checking.services.login = LoginSettings::default();
        TestApp::assemble(TestDb::new().await, checking, true, Arc::new(SystemClock)).await
    }

    pub async fn post_json(
        &mut self,
        path: &str,
        body: serde_json::Value,
        bearer: Option<&str>,
    ) -> TestResponse {
        let mut request = Request::post(path).header(header::CONTENT_TYPE, "application/json");
        if let Some(token) = bearer {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.send(request.body(Body::from(body.to_string())).expect("request"))
            .await
    }

    pub async fn get_with_bearer(&mut self, path: &str, token: &str) -> TestResponse {
        let request = Request::get(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .expect("request");
        self.send(request).await
    }

    /// The member with this NIR (any spelling); panics when there is none.
    pub async fn member(&self, nir: &str) -> caisse_store::members::MemberRecord {
        let nir = caisse_domain::Nir::parse(nir).expect("a NIR");
        caisse_store::members::find_by_nir(&self.db.db, &nir)
            .await
            .expect("member lookup")
            .expect("a member with this NIR")
    }

    /// The messages queued to `recipient`, oldest first, with the body the delivery worker
    /// hands to the transport (secrets in clear): (subject, channel, body).
    pub async fn delivered(&self, recipient: &str) -> Vec<(String, String, String)> {
        // Requests answered before they are handled (password resets) have queued their mail.
        self.services.settle_background().await;
        caisse_store::outbox::for_recipient(&self.db.db, recipient)
            .await
            .expect("outbox")
            .into_iter()
            .map(|m| {
                let body = body_to_deliver(&self.seal, &m).expect("a deliverable body");
                let channel = m.channel().code().to_owned();
                (m.subject, channel, body)
            })
            .collect()
    }

    /// Claims every due message and records outbox message `id` as given up ("550 refusé"),
    /// as the delivery worker would after a permanent refusal.
    pub async fn fail_message(&self, id: uuid::Uuid) {
        let db = &self.db.db;
        let now = caisse_domain::Instant::from(caisse_store::now_utc());
        caisse_store::outbox::claim_due(db, now, time::Duration::seconds(30), 1000)
            .await
            .expect("claim");
        caisse_store::outbox::record_outcome(
            db,
            id,
            caisse_store::outbox::Outcome::Failed {
                error: "550 refusé".into(),
                retry_at: None,
            },
            now,
        )
        .await
        .expect("outcome");
    }

    /// The audit events of the staff member `login` with this action, newest first.
    pub async fn staff_events(
        &self,
        login: &str,
        action: &str,
    ) -> Vec<caisse_store::audit::AuditEvent> {
        let db = &self.db.db;
        let id = caisse_store::staff::by_login(db, login)
            .await
            .expect("staff lookup")
            .expect("a staff account")
            .id;
        caisse_store::audit::by_actor(db, caisse_domain::ActorKind::Staff, id, 200)
            .await
            .expect("audit")
            .into_iter()
            .filter(|e| e.action.code() == action)
            .collect()
    }

    /// The 6-digit code of the newest login-code mail to this address.
    pub async fn last_code(&self, email: &str) -> String {
        let (_, _, body) = self
            .delivered(email)
            .await
            .into_iter()
            .rev()
            .find(|(subject, _, _)| subject == "Votre code de connexion")
            .expect("a code mail");
        body.split_whitespace()
            .find(|w| w.len() == 6 && w.bytes().all(|b| b.is_ascii_digit()))
            .expect("six digits")
            .to_owned()
    }

    /// The bodies, as delivered, of the messages queued to `recipient` with this subject,
    /// oldest first.
    pub async fn mail_bodies(&self, recipient: &str, subject: &str) -> Vec<String> {
        self.delivered(recipient)
            .await
            .into_iter()
            .filter(|(s, _, _)| s == subject)
            .map(|(_, _, body)| body)
            .collect()
    }

    /// The 6-digit code of the newest SMS to this number (E.164).
    pub async fn last_sms_code(&self, phone: &str) -> String {
        let (_, _, body) = self
            .delivered(phone)
            .await
            .into_iter()
            .rev()
            .find(|(_, channel, _)| channel == "sms")
            .expect("an SMS");
        body.split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 6)
            .expect("six digits")
            .to_owned()
    }

    /// Posts a multipart body, with the browser's cookie or a bearer token.
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[FilePart<'_>],
        bearer: Option<&str>,
    ) -> TestResponse {
        let (content_type, body) = multipart_body(fields, files);
        let mut request = self
            .with_cookie(Request::post(path))
            .header(header::CONTENT_TYPE, content_type);
        if let Some(token) = bearer {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.send(request.body(Body::from(body)).expect("request"))
            .await
    }

    /// GETs `form_page`, then posts `fields` and `files` as `multipart/form-data` with its
    /// CSRF token to `action`, as a browser does for a form with a file input.
    pub async fn submit_with_files(
        &mut self,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
        files: &[FilePart<'_>],
    ) -> TestResponse {
        let token = self.get(form_page).await.csrf_token();
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_multipart(action, &all, files, None).await
    }

    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let body = serde_urlencoded::to_string(fields).expect("form");
        let request = self
            .with_cookie(Request::post(path))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request");
        self.send(request).await
    }

    /// Posts a form as if from client address `ip` (the app must trust `X-Forwarded-For`).
    pub async fn post_form_from(
        &mut self,
        ip: &str,
        path: &str,
        fields: &[(&str, &str)],
    ) -> TestResponse {
        let body = serde_urlencoded::to_string(fields).expect("form");
        let request = self
            .with_cookie(Request::post(path))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("x-forwarded-for", ip)
            .body(Body::from(body))
            .expect("request");
        self.send(request).await
    }

    /// The path (`/…`) of the first link under `prefix` in the newest mail to `recipient` with
    /// this subject.
    pub async fn link_in_mail(&self, recipient: &str, subject: &str, prefix: &str) -> String {
        let body = self
            .mail_bodies(recipient, subject)
            .await
            .pop()
            .unwrap_or_else(|| panic!("a mail « {subject} » to {recipient}"));
        link_path(&body, prefix)
    }

    /// GETs `form_page`, then posts `fields` with its CSRF token to `action`.
    pub async fn submit(
        &mut self,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> TestResponse {
        let page = self.get(form_page).await;
        let token = page.csrf_token();
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form(action, &all).await
    }

    pub async fn login_member(&mut self, nir: &str, password: &str) -> TestResponse {
        self.submit(
            "/connexion",
            "/connexion",
            &[("nir", nir), ("password", password), ("next", "/")],
        )
        .await
    }

    /// Logs a demo staff user in: the password, then a code of their demo TOTP secret at the
    /// app's clock. Returns the answer to the code, or to the password when it asks for none.
    pub async fn login_staff(&mut self, login: &str) -> TestResponse {
        let password = self
            .submit(
                "/agent/connexion",
                "/agent/connexion",
                &[("login", login), ("password", STAFF_PASSWORD)],
            )
            .await;
        if password.location() != Some("/agent/connexion/code") {
            return password;
        }
        let code = self.staff_code(login).await;
        self.submit(
            "/agent/connexion/code",
            "/agent/connexion/code",
            &[("code", &code)],
        )
        .await
    }

    /// A new browser logged in as a new staff member `login` of fund `caisse` with `role`
    /// (password, then a code of the authenticator secret `secret_base32` at the app's clock).
    pub async fn staff_of_fund(
        &self,
        login: &str,
        role: StaffRole,
        caisse: &str,
        secret_base32: &str,
    ) -> TestApp {
        let db = &self.db.db;
        let id = caisse_core::staff::create(
            db,
            &cheap_hasher(),
            StaffDraft {
                login: login.to_owned(),
                display_name: format!("Agent {login}"),
                email: None,
                role,
                caisse: CaisseCode::parse(caisse).expect("a fund code"),
                password: STAFF_PASSWORD.to_owned(),
            },
            caisse_store::now_utc(),
        )
        .await
        .expect("staff account");
        let secret = TotpSecret::from_base32(secret_base32).expect("a base32 secret");
        let sealed = self.sealing.seal(&secret, id).expect("sealed secret");
        caisse_store::staff::set_totp_secret_if_unset(db, id, sealed, None)
            .await
            .expect("TOTP secret");
        let mut browser = self.another_browser();
        let password = browser
            .submit(
                "/agent/connexion",
                "/agent/connexion",
                &[("login", login), ("password", STAFF_PASSWORD)],
            )
            .await;
        assert_eq!(password.location(), Some("/agent/connexion/code"));
        let code = secret.code_of_step(staff_totp::step_of(self.clock.now()));
        let done = browser
            .submit(
                "/agent/connexion/code",
                "/agent/connexion/code",
                &[("code", &code)],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        browser
    }

    /// A code of a demo staff user's secret that the app accepts now: the current step's, or
    /// the next one's when the current one was already used (two logins in 30 seconds).
    pub async fn staff_code(&self, login: &str) -> String {
        let secret = caisse_core::demo::demo_totp_secret(login).expect("a demo staff login");
        let last = caisse_store::staff::by_login(&self.db.db, login)
            .await
            .expect("staff lookup")
            .and_then(|row| row.totp_last_step);
        let now = staff_totp::step_of(self.clock.now());
        secret.code_of_step(last.map_or(now, |last| now.max(last + 1)))
    }
}
