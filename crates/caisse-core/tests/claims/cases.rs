//! The worked cases of `cases.txt`: a small line format (documented at the top of the file)
//! read into sheets, situations and expectations, and run against the repository's
//! reference files.

use caisse_domain::claims::{
    ActCode, AnnualCapGroup, CareLine, CareSheet, Coefficient, Counters, DeductionExemption,
    DeductionLimit, LineLiquidation, Liquidation, MaternityWindow, Parcours, Payee, ProfessionalId,
    Quantity, RateRule, ReferenceTables, Situation, ij_daily_amount, ij_paid_days, liquidate,
};
use caisse_domain::{AmountCents, Nir};
use time::Date;
use time::macros::format_description;

fn date(s: &str) -> Date {
    Date::parse(s, format_description!("[year]-[month]-[day]"))
        .unwrap_or_else(|_| panic!("bad date {s}"))
}

/// `key=value` pairs and bare flags of one line.
struct Fields<'a>(Vec<(&'a str, Option<&'a str>)>);

impl<'a> Fields<'a> {
    fn of(words: &[&'a str]) -> Fields<'a> {
        Fields(
            words
                .iter()
                .map(|w| match w.split_once('=') {
                    Some((k, v)) => (k, Some(v)),
                    None => (*w, None),
                })
                .collect(),
        )
    }
    fn get(&self, key: &str) -> Option<&'a str> {
        self.0.iter().find(|(k, _)| *k == key).and_then(|(_, v)| *v)
    }
    fn flag(&self, key: &str) -> bool {
        self.0.iter().any(|(k, v)| *k == key && v.is_none())
    }
    fn cents(&self, key: &str) -> Option<i64> {
        self.get(key).map(|v| v.parse().unwrap())
    }
}

fn professional(s: &str) -> ProfessionalId {
    match s.split_once(':') {
        Some(("rpps", n)) => ProfessionalId::rpps(n).unwrap(),
        Some(("adeli", n)) => ProfessionalId::adeli(n).unwrap(),
        Some(("finess", n)) => ProfessionalId::finess(n).unwrap(),
        _ => panic!("bad professional {s}"),
    }
}

fn parcours(s: &str) -> Parcours {
    match s {
        "mt" => Parcours::MedecinTraitant,
        "oriente" => Parcours::Oriente,
        "direct" => Parcours::AccesDirect,
        "urgence" => Parcours::Urgence,
        "hors" => Parcours::HorsParcours,
        _ => panic!("bad parcours {s}"),
    }
}

fn rule(s: &str) -> RateRule {
    match s {
        "common" => RateRule::Common,
        "hors_parcours" => RateRule::HorsParcours,
        "maternite" => RateRule::Maternite,
        "atmp" => RateRule::AtMp,
        "ald" => RateRule::Ald,
        "invalidite" => RateRule::Invalidite,
        "c2s" => RateRule::C2s,
        _ => panic!("bad rule {s}"),
    }
}

fn limit(s: &str) -> DeductionLimit {
    match s {
        "none" => DeductionLimit::None,
        "daily" => DeductionLimit::DailyCap,
        "annual" => DeductionLimit::AnnualCap,
        "exempt:mineur" => DeductionLimit::Exempt(DeductionExemption::Mineur),
        "exempt:maternite" => DeductionLimit::Exempt(DeductionExemption::Maternite),
        "exempt:c2s" => DeductionLimit::Exempt(DeductionExemption::C2s),
        "exempt:ame" => DeductionLimit::Exempt(DeductionExemption::Ame),
        _ => panic!("bad limit {s}"),
    }
}

fn situation(f: &Fields<'_>) -> Situation {
    Situation {
        birth_date: date(f.get("born").expect("born=")),
        ald: f.flag("ald"),
        maternity: f.get("maternite").map(|v| {
            let (sixth, birth) = v.split_once("..").expect("maternite=A..B");
            MaternityWindow::from_pregnancy(date(sixth), date(birth)).unwrap()
        }),
        c2s: f.flag("c2s"),
        ame: f.flag("ame"),
        at_mp: f.flag("atmp"),
        invalidite: f.flag("invalidite"),
        regime_local: f.flag("alsace"),
        medecin_traitant_declared: f.flag("mt"),
    }
}

fn sheet(f: &Fields<'_>) -> CareSheet {
    CareSheet {
        nir: sample_nir(),
        rank: 1,
        professional: professional(f.get("pro").unwrap_or("rpps:10003456789")),
        prescriber: None,
        date_of_care: date(f.get("date").expect("date=")),
        tiers_payant: f.flag("tp"),
        parcours: parcours(f.get("parcours").unwrap_or("mt")),
        lines: Vec::new(),
    }
}

/// A valid NIR, its key computed.
fn sample_nir() -> Nir {
    let body = "1800575123456";
    let key = caisse_domain::compute_key(body).unwrap();
    Nir::parse(&format!("{body}{key:02}")).unwrap()
}

fn line(code: &str, f: &Fields<'_>) -> CareLine {
    CareLine {
        code: ActCode::parse(code).unwrap(),
        quantity: f
            .get("qty")
            .map_or(Quantity::ONE, |q| Quantity::parse(q).unwrap()),
        coefficient: f
            .get("coef")
            .map_or(Coefficient::ONE, |c| Coefficient::parse(c).unwrap()),
        charged: AmountCents::new(f.cents("charged").expect("charged=")),
        ald: f.flag("ald"),
        at_mp: f.flag("atmp"),
    }
}

fn check_line(case: &str, l: &LineLiquidation, f: &Fields<'_>, failures: &mut Vec<String>) {
    let mut eq = |what: &str, got: String, want: String| {
        if got != want {
            failures.push(format!(
                "{case}: line {} {what}: got {got}, want {want}",
                l.line_no
            ));
        }
    };
    for (key, value) in &f.0 {
        let Some(v) = value else { continue };
        let v = v.to_string();
        match *key {
            "line" => {}
            "base" => eq(key, l.base.cents().to_string(), v),
            "rate" => eq(key, l.rate.get().to_string(), v),
            "rule" => eq(key, format!("{:?}", l.rate_rule), format!("{:?}", rule(&v))),
            "amo" => eq(key, l.amo.cents().to_string(), v),
            "rl" => eq(
                key,
                l.regime_local.map_or(0, |r| r.amount.cents()).to_string(),
                v,
            ),
            "c2s" => eq(key, l.c2s.cents().to_string(), v),
            "excess" => eq(key, l.excess.cents().to_string(), v),
            "due" => eq(key, l.deduction.map_or(0, |d| d.due.cents()).to_string(), v),
            "deduction" => eq(
                key,
                l.deduction.map_or(0, |d| d.applied.cents()).to_string(),
                v,
            ),
            "limit" => eq(
                key,
                format!("{:?}", l.deduction.map(|d| d.limit)),
                format!("{:?}", Some(limit(&v))),
            ),
            other => panic!("{case}: unknown line key {other}"),
        }
    }
}

fn check_total(case: &str, liq: &Liquidation, f: &Fields<'_>, failures: &mut Vec<String>) {
    for (key, value) in &f.0 {
        let Some(v) = value else { continue };
        if *key == "payee" {
            let want = match *v {
                "member" => Payee::Member,
                "professional" => Payee::Professional,
                _ => panic!("bad payee {v}"),
            };
            if liq.payee != want {
                failures.push(format!("{case}: payee {:?}, want {want:?}", liq.payee));
            }
            continue;
        }
        let want: i64 = v.parse().unwrap();
        let got = match *key {
            "base" => liq.base,
            "amo" => liq.amo,
            "rl" => liq.regime_local,
            "deductions" => liq.deductions,
            "paid" => liq.paid,
            "withheld" => liq.withheld,
            "debt" => liq.member_debt,
            other => panic!("{case}: unknown total key {other}"),
        };
        if got.cents() != want {
            failures.push(format!(
                "{case}: total {key}: got {}, want {want}",
                got.cents()
            ));
        }
    }
}

/// Runs every case of `text`; returns how many ran and the failures.
pub fn run(text: &str, tables: &ReferenceTables) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    let mut count = 0;
    let mut name = String::new();
    let mut who: Option<Situation> = None;
    let mut counters = Counters::new();
    let mut current: Option<CareSheet> = None;
    let mut last: Option<Liquidation> = None;

    let flush = |current: &mut Option<CareSheet>,
                 who: &Option<Situation>,
                 counters: &mut Counters,
                 name: &str|
     -> Option<Liquidation> {
        let sheet = current.take()?;
        let situation = who.as_ref().expect("situation before sheet");
        match liquidate(&sheet, situation, tables, counters) {
            Ok(liq) => {
                *counters = liq.counters.clone();
                Some(liq)
            }
            Err(e) => panic!("{name}: {e}"),
        }
    };

    for raw in text.lines() {
        let raw = raw.split(" #").next().unwrap_or("").trim();
        if raw.is_empty() || raw.starts_with('#') {
            continue;
        }
        let words: Vec<&str> = raw.split_whitespace().collect();
        match words[0] {
            "case" => {
                // A sheet with no expectation still has to liquidate.
                flush(&mut current, &who, &mut counters, &name);
                count += 1;
                name = words[1..].join(" ");
                who = None;
                counters = Counters::new();
                last = None;
            }
            "situation" => who = Some(situation(&Fields::of(&words[1..]))),
            "counters" => {
                let f = Fields::of(&words[1..]);
                let year: i32 = f.get("year").expect("year=").parse().unwrap();
                if let Some(pf) = f.cents("pf") {
                    counters = counters.with_annual(
                        year,
                        AnnualCapGroup::ParticipationsForfaitaires,
                        AmountCents::new(pf),
                    );
                }
                if let Some(fr) = f.cents("franchises") {
                    counters = counters.with_annual(
                        year,
                        AnnualCapGroup::Franchises,
                        AmountCents::new(fr),
                    );
                }
            }
            "sheet" => {
                if let Some(liq) = flush(&mut current, &who, &mut counters, &name) {
                    last = Some(liq);
                }
                current = Some(sheet(&Fields::of(&words[1..])));
            }
            "line" => current
                .as_mut()
                .expect("sheet before line")
                .lines
                .push(line(words[1], &Fields::of(&words[2..]))),
            "expect" => {
                if let Some(liq) = flush(&mut current, &who, &mut counters, &name) {
                    last = Some(liq);
                }
                let liq = last.as_ref().expect("a sheet before expect");
                let f = Fields::of(&words[2..]);
                match words[1] {
                    "total" => check_total(&name, liq, &f, &mut failures),
                    n => {
                        let n: usize = n.parse().expect("expect total|<line no>");
                        let l = liq.lines.get(n - 1).expect("no such line");
                        check_line(&name, l, &f, &mut failures);
                    }
                }
            }
            "ij" => {
                let f = Fields::of(&words[1..]);
                let salaries: Vec<AmountCents> = f
                    .get("salaries")
                    .expect("salaries=")
                    .split(',')
                    .map(|s| AmountCents::new(s.parse().unwrap()))
                    .collect();
                let ij = ij_daily_amount(
                    [salaries[0], salaries[1], salaries[2]],
                    date(f.get("start").expect("start=")),
                    tables,
                )
                .unwrap();
                let got = [
                    ("daily", ij.daily.cents()),
                    ("ceiling", ij.monthly_ceiling.cents()),
                    ("capped", i64::from(ij.months_capped)),
                ];
                for (key, value) in got {
                    if let Some(want) = f.cents(key)
                        && want != value
                    {
                        failures.push(format!("{name}: ij {key}: got {value}, want {want}"));
                    }
                }
            }
            "ij_days" => {
                let f = Fields::of(&words[1..]);
                let days = ij_paid_days(
                    date(f.get("start").expect("start=")),
                    date(f.get("end").expect("end=")),
                    !f.flag("no_carence"),
                    tables,
                )
                .unwrap();
                let want: u32 = f.get("days").expect("days=").parse().unwrap();
                if days != want {
                    failures.push(format!("{name}: paid days: got {days}, want {want}"));
                }
            }
            other => panic!("{name}: unknown keyword {other}"),
        }
    }
    (count, failures)
}
