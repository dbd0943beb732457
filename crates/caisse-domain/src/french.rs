//! French formatting of dates, times, numbers, amounts and durations: the one place pages,
//! PDFs, mails and SMS take them from, so a date reads the same everywhere.
//!
//! Pure functions of their arguments; no locale is read from the system. Callers convert an
//! instant to Paris legal time first (see [`crate::paris_time`]).

use time::{Date, Duration, Month, PrimitiveDateTime};

use crate::money::AmountCents;

/// No-break space: between a number and its unit, and in « 16 h 04 ».
const NBSP: char = '\u{a0}';

/// Narrow no-break space: between thousands of an amount.
const NNBSP: char = '\u{202f}';

/// The minus sign of a negative amount (U+2212, not the hyphen).
const MINUS: char = '\u{2212}';

/// `text` in lower case without the accents of French (« Évité » → « evite », « œ » → « oe »):
/// the one folding of every search (messages, public questions, the help), so that « securite »
/// finds « Sécurité ».
#[must_use]
pub fn folded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => out.push('a'),
            'ç' => out.push('c'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'î' | 'ï' | 'í' | 'ì' => out.push('i'),
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => out.push('o'),
            'ù' | 'û' | 'ü' | 'ú' => out.push('u'),
            'ÿ' | 'ý' => out.push('y'),
            'ñ' => out.push('n'),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            other => out.push(other),
        }
    }
    out
}

/// [`folded`] `text` with every run of characters other than letters and digits made one
/// space, trimmed (« Où en est mon remboursement ? » → `ou en est mon remboursement`).
#[must_use]
pub fn folded_words(text: &str) -> String {
    folded(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// « 22 novembre 2026 », and « 1er mars 2027 » on the first of the month: a date as a letter
/// writes it, month names in lower case.
pub fn letter_date(date: Date) -> String {
    let day = date.day();
    let month = month_name(date.month());
    let year = date.year();
    if day == 1 {
        format!("1er {month} {year}")
    } else {
        format!("{day} {month} {year}")
    }
}

/// « novembre 2026 »: a calendar month, as statements and page headings name it.
pub fn month_year(date: Date) -> String {
    format!("{} {}", month_name(date.month()), date.year())
}

/// « 04/06/2012 »: a date as forms, tables and mails write it.
pub fn numeric_date(date: Date) -> String {
    format!(
        "{:02}/{:02}/{}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

/// « du 01/03/2024 au 28/02/2029 », or « depuis le 01/03/2024 » without an end: a period
/// of rights.
pub fn numeric_period(from: Date, to: Option<Date>) -> String {
    match to {
        Some(to) => format!("du {} au {}", numeric_date(from), numeric_date(to)),
        None => format!("depuis le {}", numeric_date(from)),
    }
}

/// « 22 novembre 2026 à 16 h 04 », no-break spaces around the « h »: a local date and time as
/// a letter writes it.
pub fn letter_date_time(at: PrimitiveDateTime) -> String {
    format!(
        "{} à {}{NBSP}h{NBSP}{:02}",
        letter_date(at.date()),
        at.hour(),
        at.minute()
    )
}

/// « lundi 7 décembre 2026 à 9 h 30 »: an appointment's local date and time, with its
/// weekday.
pub fn appointment_time(at: PrimitiveDateTime) -> String {
    format!(
        "{} {}",
        weekday_name(at.date().weekday()),
        letter_date_time(at)
    )
}

/// « 9 h 30 »: a local time of day.
pub fn time_of_day(at: time::Time) -> String {
    format!("{}{NBSP}h{NBSP}{:02}", at.hour(), at.minute())
}

/// « lundi »: a weekday, in lower case.
pub fn weekday_name(day: time::Weekday) -> &'static str {
    match day {
        time::Weekday::Monday => "lundi",
        time::Weekday::Tuesday => "mardi",
        time::Weekday::Wednesday => "mercredi",
        time::Weekday::Thursday => "jeudi",
        time::Weekday::Friday => "vendredi",
        time::Weekday::Saturday => "samedi",
        time::Weekday::Sunday => "dimanche",
    }
}

/// « 22/11/2026 à 16 h 04 »: a local date and time as pages and mails write it.
pub fn numeric_date_time(at: PrimitiveDateTime) -> String {
    format!(
        "{} à {} h {:02}",
        numeric_date(at.date()),
        at.hour(),
        at.minute()
    )
}

/// « 4 000 », « 1 234 567 »: a count, thousands apart with no-break spaces.
pub fn number(n: usize) -> String {
    grouped(&n.to_string(), NBSP)
}

/// « 1 234,5 »: a non-negative value rounded to one decimal, with a decimal comma. For
/// statistics only: money is never a float (see [`amount`]).
pub fn one_decimal(value: f64) -> String {
    // Saturating cast: a negative or not-a-number value reads 0.
    let tenths = (value * 10.0).round().max(0.0) as u64;
    format!(
        "{},{}",
        grouped(&(tenths / 10).to_string(), NBSP),
        tenths % 10
    )
}

/// « 87,5 % »: a share with one decimal.
pub fn percent(value: f64) -> String {
    format!("{}{NBSP}%", one_decimal(value))
}

/// « 2,5 h »: a delay in hours with one decimal.
pub fn decimal_hours(delay: Duration) -> String {
    format!("{}{NBSP}h", one_decimal(delay.as_seconds_f64() / 3600.0))
}

/// « 45 min » under an hour, « 2,5 h » from one: a delay of a statistic, in minutes
/// (rounded, at least one) while hours would read « 0,8 h ».
pub fn short_delay(delay: Duration) -> String {
    let minutes = (delay.whole_seconds().max(0) + 30) / 60;
    if minutes < 60 {
        format!("{}{NBSP}min", minutes.max(1))
    } else {
        decimal_hours(delay)
    }
}

/// « 1 234,56 € », « −12,00 € »: an amount, thousands apart with narrow no-break spaces, a
/// no-break space before the euro sign and a minus sign (U+2212) when negative.
pub fn amount(amount: AmountCents) -> String {
    let cents = amount.cents();
    let abs = cents.unsigned_abs();
    let sign = if cents < 0 {
        MINUS.to_string()
    } else {
        String::new()
    };
    format!(
        "{sign}{},{:02}{NBSP}€",
        grouped(&(abs / 100).to_string(), NNBSP),
        abs % 100
    )
}

/// « 15 minutes », « 1 heure », « 24 heures »: a duration in whole minutes, in hours when it
/// is a whole number of them (at least one minute).
pub fn duration(duration: Duration) -> String {
    let minutes = duration.whole_minutes().max(1);
    if minutes % 60 == 0 {
        plural(minutes / 60, "heure")
    } else {
        plural(minutes, "minute")
    }
}

/// « 12 minutes », « 3 h 05 »: a wait, rounded up to the minute.
pub fn wait(remaining: Duration) -> String {
    let minutes = (remaining.whole_seconds().max(1) + 59) / 60;
    if minutes < 60 {
        plural(minutes, "minute")
    } else {
        format!("{} h {:02}", minutes / 60, minutes % 60)
    }
}

/// « 3 jours », « 1 jour », « 36 heures »: a delay in days when it is a whole number of them,
/// otherwise in hours (at least one).
pub fn days_or_hours(delay: Duration) -> String {
    let days = delay.whole_days();
    if days >= 1 && delay == Duration::days(days) {
        plural(days, "jour")
    } else {
        plural(delay.whole_hours().max(1), "heure")
    }
}

/// « 1 heure », « 4 heures »: French plural from two on.
fn plural(n: i64, unit: &str) -> String {
    if n.abs() < 2 {
        format!("{n} {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// `digits` with `separator` between thousands.
fn grouped(digits: &str, separator: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

fn month_name(month: Month) -> &'static str {
    match month {
        Month::January => "janvier",
        Month::February => "février",
        Month::March => "mars",
        Month::April => "avril",
        Month::May => "mai",
        Month::June => "juin",
        Month::July => "juillet",
        Month::August => "août",
        Month::September => "septembre",
        Month::October => "octobre",
        Month::November => "novembre",
        Month::December => "décembre",
    }
}

#[cfg(test)]
mod tests;
