//! « Mon profil »: the member's overview (`/profil`) and the forms with which they change their
//! own data: password, email address, mobile number, postal address, bank details,
//! notification preferences, open connections, and closing the account.
//!
//! Every form is a POST that redirects on success (to `/profil` with a notice from
//! [`crate::layout::address_notice`]) and shows the form again with a 422 when refused. Every
//! operation acts on the logged-in member's id only ([`CurrentMember`]); no form field names a
//! member. The rules live in `caisse_core::accounts`; this module only turns HTTP into calls and
//! refusals into French sentences beside their fields.

pub mod address;
pub mod bank;
pub mod closure;
pub mod connections;
pub mod email;
pub mod notifications;
pub mod overview;
pub mod password;
pub mod phone;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::accounts::{AccountError, ContactDetails};

pub use crate::forms::Problems;

use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::member_login::locked_message;
use crate::state::AppState;
use crate::visitor::CurrentMember;

/// Beside the current-password field when it does not match.
pub const WRONG_PASSWORD: &str = "Le mot de passe actuel est incorrect.";

/// The section of the menu every profile page belongs to.
const SECTION: &str = "profil";

/// The French problems a refusal shows on the form; unexpected failures become [`AppError`].
///
/// # Errors
/// [`AppError::NotFound`] when there was nothing to act on, or the unexpected failure.
pub fn refusal(state: &AppState, error: AccountError) -> Result<Problems, AppError> {
    Ok(match error {
        AccountError::Invalid(problems) => Problems::from(problems),
        AccountError::WrongPassword => Problems::one("current_password", WRONG_PASSWORD),
        AccountError::Unusable => Problems::one(
            "code",
            "Ce code n'est pas le bon ou n'est plus valable. Vérifiez le dernier SMS reçu et \
             saisissez ses 6 chiffres, ou demandez un nouveau code.",
        ),
        AccountError::TooManyAttempts => Problems::one(
            "code",
            "Ce code a été mal saisi trop de fois et ne fonctionne plus. Demandez un nouveau \
             code.",
        ),
        AccountError::BankFrozen => Problems::one("iban", bank_frozen_message(state)),
        AccountError::Locked { until } => Problems::one(
            "current_password",
            locked_message(until - state.clock.now()),
        ),
        AccountError::TooManyCodes { retry_at } => Problems::one(
            "phone",
            format!(
                "Vous avez demandé plusieurs codes par SMS ces dernières heures. Vous pourrez en \
                 demander un nouveau dans {}.",
                caisse_domain::french::wait(retry_at - state.clock.now())
            ),
        ),
        AccountError::NothingToDo => return Err(AppError::NotFound),
        AccountError::Core(error) => return Err(error.into()),
    })
}

/// Why new bank details cannot be entered, and whom to call.
pub fn bank_frozen_message(state: &AppState) -> String {
    format!(
        "Par précaution, les changements de coordonnées bancaires sont bloqués sur votre compte \
         depuis un signalement « Ce n'était pas moi ». Appelez votre caisse au {} : un \
         conseiller vérifiera votre identité et les débloquera.",
        state.config.brand.phone
    )
}

/// The layout of a profile page.
fn layout(state: &AppState, member: &CurrentMember, title: &'static str) -> Layout {
    Layout::new(&member.visitor, &state.config.brand, title, SECTION)
}

/// The member's contact data; a member whose file vanished gets 404.
async fn details(state: &AppState, member: &CurrentMember) -> Result<ContactDetails, AppError> {
    state
        .accounts
        .contact_details(member.id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The answer to a form: the page, with 422 when it shows problems.
fn answer(problems: &Problems, page: axum::response::Html<String>) -> Response {
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, page).into_response()
}

/// What a change did; each one is a notice of [`crate::layout::address_notice`] on `/profil`.
#[derive(Clone, Copy, Debug)]
pub enum Done {
    /// New password.
    Password,
    /// New mobile number confirmed.
    Phone,
    /// New postal address.
    Address,
    /// New bank details waiting for their cool-off.
    BankRequested,
    /// Pending bank details withdrawn.
    BankCancelled,
    /// Notification preferences saved.
    Notifications,
}

impl Done {
    /// The query pair that asks `/profil` for the notice.
    pub const fn query(self) -> &'static str {
        match self {
            Done::Password => "fait=mot-de-passe",
            Done::Phone => "fait=mobile",
            Done::Address => "fait=adresse",
            Done::BankRequested => "fait=banque",
            Done::BankCancelled => "fait=banque-annulee",
            Done::Notifications => "fait=notifications",
        }
    }
}

/// Back to `/profil`, which says what was done.
fn done(what: Done) -> Response {
    Redirect::to(&format!("/profil?{}", what.query())).into_response()
}
