//! Settings of the web layer, built by the binary from its configuration.

use secrecy::SecretSlice;

/// How the fund brands the portal (white-label).
#[derive(Clone, Debug)]
pub struct Brand {
    /// Full name, e.g. "CPAM des Yvelines".
    pub name: String,
    /// URL of the logo image; when absent the name is shown as text.
    pub logo_url: Option<String>,
    /// Phone number shown in the footer.
    pub phone: String,
    /// Price note of that number.
    pub phone_note: String,
    /// Main colour (CSS colour); must contrast 4.5:1 with white.
    pub primary_color: String,
    /// Text colour on the main colour.
    pub primary_contrast_color: String,
    /// Accent colour.
    pub accent_color: String,
}

impl Default for Brand {
    fn default() -> Self {
        Brand {
            name: "Caisse d'assurance maladie".to_owned(),
            logo_url: None,
            phone: "36 46".to_owned(),
            phone_note: "Service gratuit + prix d'un appel".to_owned(),
            primary_color: "#1d4e89".to_owned(),
            primary_contrast_color: "#ffffff".to_owned(),
            accent_color: "#b3261e".to_owned(),
        }
    }
}

/// Everything the router needs besides the services. `Debug` never shows the key.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Branding.
    pub brand: Brand,
    /// Public base URL (`https://portail.example.fr`), for absolute links in mails.
    pub base_url: String,
    /// Key that signs CSRF tokens; every node of a deployment must share it.
    pub secret_key: SecretSlice<u8>,
    /// Served over HTTPS (directly or behind a TLS-terminating proxy): Secure cookies, HSTS.
    pub https: bool,
    /// Trust `X-Forwarded-For` from the reverse proxy to find the client address.
    pub trust_forwarded_for: bool,
    /// Requests per second allowed per client address, sustained.
    pub requests_per_second_per_ip: u32,
    /// Burst allowed above that rate.
    pub request_burst_per_ip: u32,
    /// Login attempts per minute allowed per client address.
    pub logins_per_minute_per_ip: u32,
    /// Login attempts per second allowed on this node, all addresses together.
    pub logins_per_second_per_node: u32,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
}

impl WebConfig {
    /// Settings for tests and development, with the given key.
    pub fn new(brand: Brand, secret_key: SecretSlice<u8>) -> WebConfig {
        WebConfig {
            brand,
            base_url: "http://127.0.0.1:8080".to_owned(),
            secret_key,
            https: false,
            trust_forwarded_for: false,
            requests_per_second_per_ip: 50,
            request_burst_per_ip: 200,
            logins_per_minute_per_ip: 20,
            logins_per_second_per_node: 100,
            max_body_bytes: 1024 * 1024,
        }
    }
}
