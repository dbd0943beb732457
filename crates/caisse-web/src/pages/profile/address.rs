//! `/profil/adresse`: the postal address, prefilled from the member file. Provisional codes go
//! by post to it, so the change asks for the current password.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use caisse_core::accounts::AddressForm;
use serde::Deserialize;

use super::{Done, Problems, answer, details, done, layout, refusal};
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::render;
use crate::state::AppState;
use crate::visitor::{Client, CurrentMember};

/// The address fields as shown in the form.
#[derive(Deserialize)]
pub struct AddressFields {
    #[serde(default)]
    line1: String,
    #[serde(default)]
    line2: String,
    #[serde(default)]
    postal_code: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    current_password: String,
}

#[derive(Template)]
#[template(path = "profile/address.html")]
struct AddressPage {
    layout: Layout,
    address: AddressFields,
    problems: Problems,
}

fn page(
    state: &AppState,
    member: &CurrentMember,
    address: AddressFields,
    problems: Problems,
) -> Result<Response, AppError> {
    let page = AddressPage {
        layout: layout(state, member, "Modifier mon adresse postale"),
        address,
        problems,
    };
    Ok(answer(&page.problems, render(&page)?))
}

pub async fn form(
    State(state): State<AppState>,
    member: CurrentMember,
) -> Result<Response, AppError> {
    let on_file = details(&state, &member).await?;
    let address = AddressFields {
        line1: on_file.line1,
        line2: on_file.line2,
        postal_code: on_file.postal_code,
        city: on_file.city,
        current_password: String::new(),
    };
    page(&state, &member, address, Problems::none())
}

/// At most `max` characters of what was typed, to show it again.
fn shown(typed: &str, max: usize) -> String {
    typed.chars().take(max).collect()
}

pub async fn change(
    State(state): State<AppState>,
    member: CurrentMember,
    Client(context): Client,
    CsrfForm(form): CsrfForm<AddressFields>,
) -> Result<Response, AppError> {
    let typed = AddressForm {
        line1: &form.line1,
        line2: &form.line2,
        postal_code: &form.postal_code,
        city: &form.city,
    };
    match state
        .accounts
        .change_address(member.id, &form.current_password, typed, &context)
        .await
    {
        Ok(()) => Ok(done(Done::Address)),
        Err(error) => {
            let problems = refusal(&state, error)?;
            let again = AddressFields {
                line1: shown(&form.line1, 120),
                line2: shown(&form.line2, 120),
                postal_code: shown(&form.postal_code, 10),
                city: shown(&form.city, 80),
                current_password: String::new(),
            };
            page(&state, &member, again, problems)
        }
    }
}
