use time::OffsetDateTime;
use time::macros::{date, datetime};

use super::*;
use crate::messaging::{RECLAMATION_DELAY_DAYS, due_date};
use crate::{CaisseCode, Fund, HolidayZone};

fn zone_of(code: &str) -> HolidayZone {
    Fund::by_code(&CaisseCode::parse(code).unwrap()).calendar()
}

fn reclamation(due_on: Date) -> ReclamationFacts {
    ReclamationFacts {
        nature: Nature::Reclamation,
        due_on,
        first_answer_in_time: None,
        outcome: None,
    }
}

/// A réclamation sent at `sent_at` to fund `code`: its due date.
fn reclamation_due(sent_at: OffsetDateTime, code: &str) -> Date {
    due_date(sent_at, RECLAMATION_DELAY_DAYS, zone_of(code))
}

// One case a line: rustfmt would spread each over seven.
#[rustfmt::skip]
#[test]
fn reclamation_due_dates_skip_easter_may_day_and_alsaces_holidays() {
    // (sent at, fund, due date, why), 15 working days.
    let cases = [
        (datetime!(2026-04-02 10:00 +2), "781", date!(2026-04-24), "Easter Monday"),
        (datetime!(2026-04-30 10:00 +2), "781", date!(2026-05-27), "1 May, 8 May, Ascension, Whit Monday"),
        (datetime!(2025-12-24 10:00 +1), "781", date!(2026-01-16), "Christmas, New Year's Day"),
        (datetime!(2026-04-02 10:00 +2), "571", date!(2026-04-27), "Good Friday and Easter Monday in Moselle"),
        (datetime!(2026-04-02 10:00 +2), "671", date!(2026-04-27), "Good Friday and Easter Monday in Bas-Rhin"),
        (datetime!(2026-04-02 10:00 +2), "681", date!(2026-04-27), "Good Friday and Easter Monday in Haut-Rhin"),
        (datetime!(2026-04-30 10:00 +2), "571", date!(2026-05-27), "1 May in Moselle"),
        (datetime!(2026-04-30 10:00 +2), "671", date!(2026-05-27), "1 May in Bas-Rhin"),
        (datetime!(2026-04-30 10:00 +2), "681", date!(2026-05-27), "1 May in Haut-Rhin"),
        (datetime!(2025-12-24 10:00 +1), "571", date!(2026-01-19), "26 December in Moselle"),
        (datetime!(2025-12-24 10:00 +1), "671", date!(2026-01-19), "26 December in Bas-Rhin"),
        (datetime!(2025-12-24 10:00 +1), "681", date!(2026-01-19), "26 December in Haut-Rhin"),
    ];
    for (sent_at, code, due, why) in cases {
        assert_eq!(reclamation_due(sent_at, code), due, "{code}: {why}");
    }
}

#[test]
fn an_unanswered_reclamation_opens_the_mediateur_the_day_after_its_due_date() {
    // Bas-Rhin: due Monday 27 April 2026, one working day later than in Yvelines.
    let strasbourg = reclamation(reclamation_due(datetime!(2026-04-02 10:00 +2), "671"));
    assert_eq!(referral_reason(&strasbourg, date!(2026 - 04 - 24)), None);
    assert_eq!(referral_reason(&strasbourg, date!(2026 - 04 - 27)), None);
    assert_eq!(
        referral_reason(&strasbourg, date!(2026 - 04 - 28)),
        Some(ReferralReason::NoAnswer)
    );
    let versailles = reclamation(reclamation_due(datetime!(2026-04-02 10:00 +2), "781"));
    assert_eq!(
        referral_reason(&versailles, date!(2026 - 04 - 25)),
        Some(ReferralReason::NoAnswer),
        "a Saturday after the due date counts"
    );
    // Moselle, across 26 December: due 19 January 2026, not 16.
    let metz = reclamation(reclamation_due(datetime!(2025-12-24 10:00 +1), "571"));
    assert_eq!(referral_reason(&metz, date!(2026 - 01 - 17)), None);
    assert_eq!(
        referral_reason(&metz, date!(2026 - 01 - 20)),
        Some(ReferralReason::NoAnswer)
    );
}

#[test]
fn an_answer_in_time_closes_the_way_unless_it_is_not_favorable() {
    let due_on = date!(2026 - 05 - 27);
    let long_after = date!(2026 - 09 - 01);
    let answered = |in_time, outcome| ReclamationFacts {
        first_answer_in_time: Some(in_time),
        outcome,
        ..reclamation(due_on)
    };
    assert_eq!(referral_reason(&answered(true, None), long_after), None);
    assert_eq!(
        referral_reason(&answered(true, Some(Outcome::Favorable)), long_after),
        None
    );
    assert_eq!(
        referral_reason(&answered(true, Some(Outcome::Defavorable)), due_on),
        Some(ReferralReason::Defavorable)
    );
    assert_eq!(
        referral_reason(
            &answered(true, Some(Outcome::PartiellementFavorable)),
            due_on
        ),
        Some(ReferralReason::PartiellementFavorable)
    );
    // Late: even a favorable answer lets the member complain of the delay.
    assert_eq!(
        referral_reason(&answered(false, Some(Outcome::Favorable)), due_on),
        Some(ReferralReason::AnswerLate)
    );
    assert_eq!(
        referral_reason(&answered(false, None), due_on),
        Some(ReferralReason::AnswerLate)
    );
    // The outcome is what the member disputes: it wins over lateness.
    assert_eq!(
        referral_reason(&answered(false, Some(Outcome::Defavorable)), due_on),
        Some(ReferralReason::Defavorable)
    );
}

#[test]
fn questions_and_reports_never_open_the_mediateur() {
    for nature in [Nature::DemandeRenseignements, Nature::Signalement] {
        let late = ReclamationFacts {
            nature,
            due_on: date!(2026 - 01 - 05),
            first_answer_in_time: Some(false),
            outcome: Some(Outcome::Defavorable),
        };
        assert_eq!(referral_reason(&late, date!(2026 - 06 - 01)), None);
        let unanswered = ReclamationFacts {
            first_answer_in_time: None,
            outcome: None,
            ..late
        };
        assert_eq!(referral_reason(&unanswered, date!(2026 - 06 - 01)), None);
    }
}

#[test]
fn codes_round_trip_and_labels_are_french() {
    for reason in ReferralReason::ALL {
        assert_eq!(ReferralReason::from_code(reason.code()), Some(reason));
        assert!(!reason.explanation_fr().is_empty());
    }
    assert_eq!(ReferralReason::from_code("Défavorable"), None);
    for status in ReferralStatus::ALL {
        assert_eq!(ReferralStatus::from_code(status.code()), Some(status));
    }
    assert_eq!(
        ReferralStatus::ALL.map(ReferralStatus::label_fr),
        ["À traiter", "En cours", "Clos"]
    );
}

#[test]
fn a_referral_is_taken_answered_once_then_closed() {
    use ReferralEvent::{Answered, Closed, Taken};
    let taken = ReferralState::INITIAL.after(Taken).unwrap();
    assert_eq!(taken.status, ReferralStatus::EnCours);
    assert_eq!(taken.after(Taken), Err(ReferralRefused::AlreadyTaken));
    assert_eq!(taken.after(Closed), Err(ReferralRefused::NotAnswered));
    let answered = taken.after(Answered).unwrap();
    assert!(answered.answered);
    assert_eq!(
        answered.after(Answered),
        Err(ReferralRefused::AlreadyAnswered)
    );
    let closed = answered.after(Closed).unwrap();
    assert_eq!(closed.status, ReferralStatus::Clos);
    for event in [Taken, Answered, Closed] {
        assert_eq!(closed.after(event), Err(ReferralRefused::Closed));
    }
    // Answering an untaken referral takes it.
    let direct = ReferralState::INITIAL.after(Answered).unwrap();
    assert_eq!(direct.status, ReferralStatus::EnCours);
    assert_eq!(
        ReferralState::INITIAL.after(Closed),
        Err(ReferralRefused::NotAnswered)
    );
    assert!(!ReferralRefused::NotAnswered.message_fr().is_empty());
}
