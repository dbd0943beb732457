//! `/profil`: the member file as its owner sees it, their contact data and preferences, the
//! bank change waiting to apply, the security history, and the links to change each of them.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use super::{details, layout};
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::{paris_fr, render};
use crate::state::AppState;
use crate::visitor::CurrentMember;
use caisse_domain::french::letter_date;

pub struct ProfileData {
    pub full_name: String,
    pub nir_formatted: String,
    pub birth_date: String,
    pub sex_label: &'static str,
    pub fund_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address_lines: Vec<String>,
    pub iban_masked: Option<String>,
    pub notify_email: bool,
    pub notify_sms: bool,
}

/// A bank change waiting for its cool-off, as the member reads it.
pub struct PendingRow {
    pub iban_masked: String,
    pub effective: String,
}

pub struct HistoryRow {
    pub when: String,
    pub what: &'static str,
    pub ip: String,
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    layout: Layout,
    member: ProfileData,
    pending_bank: Option<PendingRow>,
    history: Vec<HistoryRow>,
}

/// The pending bank change of this member, dated in Paris time.
pub async fn pending_bank_row(
    state: &AppState,
    member: &CurrentMember,
) -> Result<Option<PendingRow>, AppError> {
    Ok(state
        .accounts
        .pending_bank_change(member.id)
        .await?
        .map(|p| PendingRow {
            iban_masked: p.iban_masked,
            effective: paris_fr(p.effective_at),
        }))
}

pub async fn show(
    State(state): State<AppState>,
    member: CurrentMember,
) -> Result<Html<String>, AppError> {
    let overview = state
        .people
        .member_overview(member.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let contacts = details(&state, &member).await?;
    let data = ProfileData {
        full_name: overview.full_name,
        nir_formatted: overview.nir.formatted(),
        birth_date: letter_date(overview.birth_date),
        sex_label: overview.nir.sex().label_fr(),
        fund_name: overview.fund_name,
        email: contacts.email,
        phone: contacts.phone,
        address_lines: overview.address_lines,
        iban_masked: contacts.iban_masked,
        notify_email: contacts.notify_email,
        notify_sms: contacts.notify_sms,
    };
    let history = state
        .people
        .security_history(member.id, 20)
        .await?
        .into_iter()
        .map(|e| HistoryRow {
            when: paris_fr(e.at),
            what: e.label_fr,
            ip: e.ip,
        })
        .collect();
    render(&ProfilePage {
        layout: layout(&state, &member, "Mon profil"),
        member: data,
        pending_bank: pending_bank_row(&state, &member).await?,
        history,
    })
}
