//! The worked IJ cases of `ij_cases.txt`: arrêts de travail and the schedule expected of
//! each (format at the top of the file), run against the repository's reference files.

use caisse_domain::AmountCents;
use caisse_domain::claims::{
    ArretDeTravail, ArretKind, DailyLimit, IjAmounts, IjBasis, IjSchedule, ReferenceTables, Siret,
    Subrogation, ij_schedule,
};
use time::Date;
use time::macros::format_description;

fn date(s: &str) -> Date {
    Date::parse(s, format_description!("[year]-[month]-[day]"))
        .unwrap_or_else(|_| panic!("bad date {s}"))
}

/// `key=value` pairs and bare flags of one line.
fn pairs<'a>(words: &[&'a str]) -> Vec<(&'a str, Option<&'a str>)> {
    words
        .iter()
        .map(|w| match w.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (*w, None),
        })
        .collect()
}

fn arret(words: &[&str]) -> ArretDeTravail {
    let fields = pairs(words);
    let get = |key: &str| fields.iter().find(|(k, _)| *k == key).and_then(|(_, v)| *v);
    let flag = |key: &str| fields.iter().any(|(k, v)| *k == key && v.is_none());
    let salaries: Vec<AmountCents> = get("salaries")
        .unwrap_or_else(|| panic!("arret without salaries"))
        .split(',')
        .map(|c| AmountCents::new(c.parse().unwrap()))
        .collect();
    ArretDeTravail {
        kind: ArretKind::parse(get("kind").unwrap_or("")).unwrap(),
        start: date(get("start").unwrap_or("")),
        end: date(get("end").unwrap_or("")),
        employer: Siret::parse("73282932000074").unwrap(),
        gross_salaries: salaries.try_into().unwrap(),
        subrogation: get("subrogation").map(|d| Subrogation { until: date(d) }),
        carence_applies: !flag("no_carence"),
        ald: flag("ald"),
    }
}

/// The value of `key` in the schedule, as the file writes it.
fn schedule_value(s: &IjSchedule, key: &str) -> Option<String> {
    let cents = |a: AmountCents| Some(a.cents().to_string());
    match (key, &s.basis) {
        ("waiting", _) => Some(s.waiting_days.to_string()),
        ("paid", _) => Some(s.paid_days.to_string()),
        ("payments", _) => Some(s.payments.len().to_string()),
        ("daily", IjBasis::Maladie(d)) => cents(d.daily),
        ("daily", IjBasis::Maternite(d)) => cents(d.daily),
        ("daily", IjBasis::AtMp(d)) => cents(d.daily),
        ("increased", IjBasis::AtMp(d)) => cents(d.increased_daily),
        ("sjb", IjBasis::AtMp(d)) => cents(d.sjb),
        ("limit", IjBasis::Maternite(d)) => Some(
            match d.limit {
                None => "none",
                Some(DailyLimit::Minimum) => "min",
                Some(DailyLimit::Maximum) => "max",
            }
            .to_owned(),
        ),
        _ => None,
    }
}

fn amounts_value(a: &IjAmounts, key: &str) -> Option<String> {
    let amount = match key {
        "gross" => a.gross,
        "csg" => a.csg,
        "crds" => a.crds,
        "net" => a.net,
        "taxable" => a.taxable,
        _ => return None,
    };
    Some(amount.cents().to_string())
}

/// The value of a key of the line being checked.
type Lookup<'a> = Box<dyn Fn(&str) -> Option<String> + 'a>;

/// Runs every case; returns how many ran and one line per failed expectation.
pub fn run(text: &str, tables: &ReferenceTables) -> (usize, Vec<String>) {
    let mut count = 0;
    let mut failures = Vec::new();
    let mut name = String::new();
    let mut schedule: Option<IjSchedule> = None;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at = format!("ij_cases.txt:{} ({name})", n + 1);
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["case", ..] => {
                name = line["case".len()..].trim().to_owned();
                schedule = None;
                count += 1;
            }
            ["arret", rest @ ..] => match ij_schedule(&arret(rest), tables) {
                Ok(s) => schedule = Some(s),
                Err(e) => {
                    failures.push(format!("{at}: {}", e.message_fr()));
                    schedule = None;
                }
            },
            ["expect", rest @ ..] => {
                let Some(s) = &schedule else {
                    failures.push(format!("{at}: no schedule"));
                    continue;
                };
                let (value, pairs): (Lookup<'_>, _) = match rest {
                    ["payment", i, tail @ ..] => {
                        let i: usize = i.parse().unwrap();
                        let Some(p) = s.payments.get(i - 1) else {
                            failures.push(format!("{at}: no payment {i}"));
                            continue;
                        };
                        let p = *p;
                        (
                            Box::new(move |key: &str| match key {
                                "from" => Some(p.from.to_string()),
                                "to" => Some(p.to.to_string()),
                                "days" => Some(p.days.to_string()),
                                "payee" => Some(p.payee.code().to_owned()),
                                key => amounts_value(&p.amounts, key),
                            }),
                            pairs(tail),
                        )
                    }
                    ["total", tail @ ..] => {
                        let total = s.total;
                        (
                            Box::new(move |key: &str| amounts_value(&total, key)),
                            pairs(tail),
                        )
                    }
                    tail => (Box::new(|key: &str| schedule_value(s, key)), pairs(tail)),
                };
                for (key, expected) in pairs {
                    let expected = expected.unwrap_or_default();
                    match value(key) {
                        Some(found) if found == expected => {}
                        Some(found) => {
                            failures.push(format!("{at}: {key} = {found}, expected {expected}"))
                        }
                        None => failures.push(format!("{at}: unknown key {key}")),
                    }
                }
            }
            _ => failures.push(format!("{at}: unreadable line")),
        }
    }
    (count, failures)
}
