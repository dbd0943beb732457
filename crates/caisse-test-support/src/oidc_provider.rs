//! A real OpenID Connect provider for the tests: `e2e/oidc/provider.mjs` (npm `oidc-provider`,
//! configured like FranceConnect v2 and like a fund's staff provider), started per test on a
//! free loopback port, and a small browser that logs a person in on it.
//!
//! It needs Node.js and `e2e/node_modules` (`cd e2e && npm ci`; `scripts/test-all` does it).
//! Without them the test fails and says so: a test that cannot reach its provider must not
//! pass.

use std::path::PathBuf;
use std::process::Stdio;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};

/// FranceConnect-like client (ES256 ID token and signed userinfo).
pub const FC_CLIENT: (&str, &str) = ("caisse-fc", "caisse-fc-secret-for-tests-only-0123456789");
/// The same with RS256.
pub const FC_RS256_CLIENT: (&str, &str) = (
    "caisse-fc-rs256",
    "caisse-fc-rs256-secret-for-tests-only-012345",
);
/// The staff provider's client (RS256, plain JSON userinfo, groups).
pub const STAFF_CLIENT: (&str, &str) = (
    "caisse-agents",
    "caisse-agents-secret-for-tests-only-0123456",
);

/// A running provider; stopped when dropped (its stdin closes, and the child is killed).
pub struct TestProvider {
    /// Its issuer, `http://127.0.0.1:PORT`.
    pub issuer: String,
    http: reqwest::Client,
    /// The browser's cookies at the provider (its session survives from login to logout).
    jar: std::sync::Mutex<Jar>,
    _stdin: ChildStdin,
    _child: Child,
}

fn e2e_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../e2e")
}

/// The `Cookie` header of the cookies set so far.
#[derive(Default)]
struct Jar(Vec<(String, String)>);

impl Jar {
    fn keep(&mut self, response: &reqwest::Response) {
        for value in response.headers().get_all(reqwest::header::SET_COOKIE) {
            let Some(pair) = value.to_str().ok().and_then(|v| v.split(';').next()) else {
                continue;
            };
            if let Some((name, value)) = pair.split_once('=') {
                self.0.retain(|(n, _)| n != name.trim());
                self.0
                    .push((name.trim().to_owned(), value.trim().to_owned()));
            }
        }
    }

    fn header(&self) -> String {
        self.0
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("a redirect, got {}", response.status()))
        .to_owned()
}

impl TestProvider {
    /// Starts a provider whose clients send browsers back to `rp` (a base URL).
    ///
    /// # Panics
    /// When Node.js or the npm packages are missing, or the provider does not start.
    pub async fn start(rp: &str) -> TestProvider {
        let script = e2e_dir().join("oidc/provider.mjs");
        let modules = e2e_dir().join("node_modules/oidc-provider");
        assert!(
            modules.exists(),
            "the test OpenID Connect provider needs its npm packages: run `cd e2e && npm ci` \
             (scripts/test-all does it)"
        );
        let mut child = Command::new("node")
            .arg(&script)
            .args(["--port", "0", "--rp", rp])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("node starts (install Node.js)");
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .await
            .expect("the provider announces itself");
        let announced: serde_json::Value =
            serde_json::from_str(&line).expect("a JSON line with the issuer");
        let issuer = announced["issuer"].as_str().expect("an issuer").to_owned();
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client");
        TestProvider {
            issuer,
            http,
            jar: std::sync::Mutex::new(Jar::default()),
            _stdin: stdin,
            _child: child,
        }
    }

    fn cookies(&self) -> String {
        self.jar.lock().map(|jar| jar.header()).unwrap_or_default()
    }

    fn keep(&self, response: &reqwest::Response) {
        if let Ok(mut jar) = self.jar.lock() {
            jar.keep(response);
        }
    }

    /// Forgets the browser's cookies at the provider (another browser).
    pub fn forget_cookies(&self) {
        if let Ok(mut jar) = self.jar.lock() {
            jar.0.clear();
        }
    }

    /// Logs `login` in at the provider, starting from the authorization URL Caisse redirected
    /// to; returns the URL the provider sends the browser back to (with `code` and `state`).
    ///
    /// # Panics
    /// When the provider does not behave as its pages say.
    pub async fn log_in(&self, authorization_url: &str, login: &str) -> String {
        let mut url = authorization_url.to_owned();
        let mut posted = false;
        for _ in 0..10 {
            if !url.starts_with(&self.issuer) {
                return url;
            }
            let response = self
                .http
                .get(&url)
                .header(reqwest::header::COOKIE, self.cookies())
                .send()
                .await
                .expect("the provider answers");
            self.keep(&response);
            if response.status().is_redirection() {
                url = absolute(&self.issuer, &location(&response));
                continue;
            }
            assert!(!posted, "the provider showed a page after the login: {url}");
            // The login page: post the login to its form.
            let action = format!("{}/login", url.trim_end_matches('/'));
            let response = self
                .http
                .post(&action)
                .header(reqwest::header::COOKIE, self.cookies())
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(format!("login={login}"))
                .send()
                .await
                .expect("the provider answers the login");
            self.keep(&response);
            assert!(
                response.status().is_redirection(),
                "the provider accepted {login}: {}",
                response.status()
            );
            posted = true;
            url = absolute(&self.issuer, &location(&response));
        }
        panic!("too many redirects at the provider");
    }

    /// Follows a logout URL of the provider (RP-initiated logout): shows the confirm page,
    /// posts it, and returns where the provider sends the browser back.
    ///
    /// # Panics
    /// When the provider does not behave as its pages say.
    pub async fn log_out(&self, logout_url: &str) -> String {
        let response = self
            .http
            .get(logout_url)
            .header(reqwest::header::COOKIE, self.cookies())
            .send()
            .await
            .expect("the provider answers");
        self.keep(&response);
        if response.status().is_redirection() {
            return location(&response);
        }
        let body = response.text().await.expect("a page");
        let xsrf = body
            .split("name=\"xsrf\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the confirm form's xsrf field")
            .to_owned();
        let response = self
            .http
            .post(format!("{}/session/end/confirm", self.issuer))
            .header(reqwest::header::COOKIE, self.cookies())
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(format!("xsrf={xsrf}&logout=yes"))
            .send()
            .await
            .expect("the provider answers the confirmation");
        location(&response)
    }

    /// Sets the test mode of the following token and userinfo answers (`{}` resets).
    ///
    /// # Panics
    /// When the provider refuses it.
    pub async fn set_mode(&self, mode: serde_json::Value) {
        let response = self
            .http
            .post(format!("{}/__test/mode", self.issuer))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(mode.to_string())
            .send()
            .await
            .expect("the provider answers");
        assert_eq!(response.status().as_u16(), 204, "mode accepted");
    }
}

fn absolute(issuer: &str, location: &str) -> String {
    if location.starts_with("http://") || location.starts_with("https://") {
        location.to_owned()
    } else {
        format!("{issuer}{location}")
    }
}
