//! The configuration's values as typed, checked: each refusal is a French reason
//! ([`AgendaError::Invalid`]) saying what to correct.

use caisse_domain::CaisseCode;
use caisse_domain::agenda::Channel;
use caisse_store::agenda::Motif;
use time::{Date, PrimitiveDateTime, Time, Weekday};
use uuid::Uuid;

use super::AgendaError;
use super::settings_admin::MotifDraft;

/// Longest text kept in a field.
pub(super) const TEXT_MAX: usize = 2_000;

pub(super) fn text(value: &str, max: usize, empty: &'static str) -> Result<String, AgendaError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(AgendaError::Invalid(empty));
    }
    if value.chars().count() > max {
        return Err(AgendaError::Invalid("Un texte saisi est trop long."));
    }
    Ok(value.to_owned())
}

pub(super) fn number(
    value: &str,
    range: std::ops::RangeInclusive<u32>,
    why: &'static str,
) -> Result<u32, AgendaError> {
    value
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or(AgendaError::Invalid(why))
}

/// Checks and reads a motif of the fund.
pub(super) fn motif_of(
    draft: &MotifDraft,
    id: Uuid,
    caisse: CaisseCode,
) -> Result<Motif, AgendaError> {
    let code = text(&draft.code, 64, "Saisissez le code du motif.")?;
    if !code
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(AgendaError::Invalid(
            "Le code du motif ne contient que des minuscules sans accent, des chiffres et des tirets.",
        ));
    }
    let mut channels = Vec::new();
    for code in &draft.channels {
        let channel = Channel::from_code(code).ok_or(AgendaError::Invalid(
            "Choisissez les modes de rendez-vous dans la liste.",
        ))?;
        if !channels.contains(&channel) {
            channels.push(channel);
        }
    }
    if channels.is_empty() {
        return Err(AgendaError::Invalid(
            "Cochez au moins un mode de rendez-vous (téléphone, agence ou visio).",
        ));
    }
    let demarche = draft.demarche.trim();
    Ok(Motif {
        id,
        caisse,
        label: text(&draft.label, 200, "Saisissez le libellé du motif.")?,
        code,
        channels,
        duration_minutes: number(
            &draft.duration,
            5..=240,
            "La durée d'un rendez-vous est comprise entre 5 et 240 minutes.",
        )?,
        min_notice_hours: number(
            &draft.notice,
            0..=24 * 365,
            "Le délai de prévenance est un nombre d'heures, 0 ou plus.",
        )?,
        horizon_days: number(
            &draft.horizon,
            1..=365,
            "L'horizon de réservation est compris entre 1 et 365 jours.",
        )?,
        documents: draft.documents.trim().chars().take(TEXT_MAX).collect(),
        demarche_code: (!demarche.is_empty()).then(|| demarche.chars().take(64).collect()),
        active: draft.active,
    })
}

/// « 09:00 » on a 5-minute step.
pub(super) fn clock_time(value: &str) -> Result<Time, AgendaError> {
    let why = "Saisissez les heures au format HH:MM, par pas de 5 minutes.";
    let (h, m) = value
        .trim()
        .split_once(':')
        .ok_or(AgendaError::Invalid(why))?;
    let h: u8 = h.parse().map_err(|_| AgendaError::Invalid(why))?;
    let m: u8 = m.parse().map_err(|_| AgendaError::Invalid(why))?;
    if !m.is_multiple_of(5) {
        return Err(AgendaError::Invalid(why));
    }
    Time::from_hms(h, m, 0).map_err(|_| AgendaError::Invalid(why))
}

pub(super) fn weekday(value: &str) -> Result<Weekday, AgendaError> {
    let why = "Choisissez un jour de la semaine.";
    let n: u8 = value
        .trim()
        .parse()
        .map_err(|_| AgendaError::Invalid(why))?;
    let first = Weekday::Monday;
    match n {
        1..=7 => Ok((1..n).fold(first, |day, _| day.next())),
        _ => Err(AgendaError::Invalid(why)),
    }
}

/// « 2026-12-24T08:00 » (or a date alone, at midnight), local.
pub(super) fn local_time(value: &str) -> Option<PrimitiveDateTime> {
    let value = value.trim();
    let (date, time) = value.split_once('T').unwrap_or((value, "00:00"));
    let mut parts = date.split('-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    let date = Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()?;
    let (h, m) = time.get(..5)?.split_once(':')?;
    Some(PrimitiveDateTime::new(
        date,
        Time::from_hms(h.parse().ok()?, m.parse().ok()?, 0).ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_on_five_minute_steps_and_days_one_to_seven() {
        assert_eq!(clock_time("09:05").ok(), Time::from_hms(9, 5, 0).ok());
        assert!(clock_time("09:07").is_err());
        assert!(clock_time("25:00").is_err());
        assert!(clock_time("9h").is_err());
        assert_eq!(weekday("1").ok(), Some(Weekday::Monday));
        assert_eq!(weekday("7").ok(), Some(Weekday::Sunday));
        assert!(weekday("8").is_err());
        assert!(local_time("2026-12-24T08:30").is_some());
        assert!(local_time("2026-02-30T08:30").is_none());
    }

    #[test]
    fn a_motif_needs_a_channel_and_durations_within_bounds() {
        let caisse = caisse_domain::CaisseCode::parse("781").unwrap_or_else(|_| unreachable!());
        let mut draft = MotifDraft {
            code: "rdv-test".into(),
            label: "Essai".into(),
            channels: vec!["telephone".into()],
            duration: "30".into(),
            notice: "0".into(),
            horizon: "30".into(),
            ..MotifDraft::default()
        };
        assert!(motif_of(&draft, Uuid::nil(), caisse).is_ok());
        draft.duration = "4".into();
        assert!(motif_of(&draft, Uuid::nil(), caisse).is_err());
        draft.duration = "30".into();
        draft.horizon = "366".into();
        assert!(motif_of(&draft, Uuid::nil(), caisse).is_err());
        draft.horizon = "30".into();
        draft.channels.clear();
        assert!(motif_of(&draft, Uuid::nil(), caisse).is_err());
    }
}
