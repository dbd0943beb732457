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

pub fn date(s: &str) -> Date {
    Date::parse(s, format_description!("[year]-[month]-[day]"))
        .unwrap_or_else(|_| panic!("bad date {s}"))
}

/// `key=value` pairs and bare flags of one line.
#[derive(Clone, Debug, Default)]
pub struct Fields(pub Vec<(String, Option<String>)>);

impl Fields {
    fn of(words: &[&str]) -> Fields {
        Fields(
            words
                .iter()
                .map(|w| match w.split_once('=') {
                    Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
                    None => ((*w).to_owned(), None),
                })
                .collect(),
        )
    }
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.as_deref())
    }
    pub fn flag(&self, key: &str) -> bool {
        self.0.iter().any(|(k, v)| k == key && v.is_none())
    }
    pub fn cents(&self, key: &str) -> Option<i64> {
        self.get(key).map(|v| v.parse().unwrap())
    }
}

/// One `sheet` line and its `line`s.
#[derive(Clone, Debug)]
pub struct SheetSpec {
    pub fields: Fields,
    /// Each care line: its act code and fields.
    pub lines: Vec<(String, Fields)>,
}

impl SheetSpec {
    pub fn date(&self) -> Date {
        date(self.fields.get("date").expect("date="))
    }
    pub fn care_sheet(&self, nir: Nir) -> CareSheet {
        let mut sheet = sheet(&self.fields, nir);
        sheet.lines = self.lines.iter().map(|(code, f)| line(code, f)).collect();
        sheet
    }
}

/// What an `expect` line reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Total,
    Line(usize),
}

/// An `expect` line: of the sheet at index `sheet` of its case (the last one before it).
#[derive(Clone, Debug)]
pub struct Expectation {
    pub sheet: usize,
    pub target: Target,
    pub fields: Fields,
}

/// An `ij` or `ij_days` line (pure only: no sheet involved).
#[derive(Clone, Debug)]
pub enum IjCheck {
    Daily(Fields),
    Days(Fields),
}

/// A case of `cases.txt`, as data.
#[derive(Clone, Debug, Default)]
pub struct Case {
    pub name: String,
    pub situation: Option<Fields>,
    pub counters: Vec<Fields>,
    pub sheets: Vec<SheetSpec>,
    pub expectations: Vec<Expectation>,
    pub ij: Vec<IjCheck>,
}

impl Case {
    /// The counters before the first sheet, from the `counters` lines.
    pub fn initial_counters(&self) -> Counters {
        let mut counters = Counters::new();
        for f in &self.counters {
            let year: i32 = f.get("year").expect("year=").parse().unwrap();
            if let Some(pf) = f.cents("pf") {
                counters = counters.with_annual(
                    year,
                    AnnualCapGroup::ParticipationsForfaitaires,
                    AmountCents::new(pf),
                );
            }
            if let Some(fr) = f.cents("franchises") {
                counters =
                    counters.with_annual(year, AnnualCapGroup::Franchises, AmountCents::new(fr));
            }
        }
        counters
    }
}

/// Reads `text` into its cases, in order.
pub fn parse(text: &str) -> Vec<Case> {
    let mut cases: Vec<Case> = Vec::new();
    for raw in text.lines() {
        let raw = raw.split(" #").next().unwrap_or("").trim();
        if raw.is_empty() || raw.starts_with('#') {
            continue;
        }
        let words: Vec<&str> = raw.split_whitespace().collect();
        if words[0] == "case" {
            cases.push(Case {
                name: words[1..].join(" "),
                ..Case::default()
            });
            continue;
        }
        let case = cases.last_mut().expect("a case line first");
        let name = case.name.clone();
        match words[0] {
            "situation" => case.situation = Some(Fields::of(&words[1..])),
            "counters" => case.counters.push(Fields::of(&words[1..])),
            "sheet" => case.sheets.push(SheetSpec {
                fields: Fields::of(&words[1..]),
                lines: Vec::new(),
            }),
            "line" => case
                .sheets
                .last_mut()
                .unwrap_or_else(|| panic!("{name}: sheet before line"))
                .lines
                .push((words[1].to_owned(), Fields::of(&words[2..]))),
            "expect" => {
                let sheet = case
                    .sheets
                    .len()
                    .checked_sub(1)
                    .unwrap_or_else(|| panic!("{name}: a sheet before expect"));
                let target = match words[1] {
                    "total" => Target::Total,
                    n => Target::Line(n.parse().expect("expect total|<line no>")),
                };
                case.expectations.push(Expectation {
                    sheet,
                    target,
                    fields: Fields::of(&words[2..]),
                });
            }
            "ij" => case.ij.push(IjCheck::Daily(Fields::of(&words[1..]))),
            "ij_days" => case.ij.push(IjCheck::Days(Fields::of(&words[1..]))),
            other => panic!("{name}: unknown keyword {other}"),
        }
    }
    cases
}

pub fn professional(s: &str) -> ProfessionalId {
    match s.split_once(':') {
        Some(("rpps", n)) => ProfessionalId::rpps(n).unwrap(),
        Some(("adeli", n)) => ProfessionalId::adeli(n).unwrap(),
        Some(("finess", n)) => ProfessionalId::finess(n).unwrap(),
        _ => panic!("bad professional {s}"),
    }
}

pub fn parcours(s: &str) -> Parcours {
    match s {
        "mt" => Parcours::MedecinTraitant,
        "oriente" => Parcours::Oriente,
        "direct" => Parcours::AccesDirect,
        "urgence" => Parcours::Urgence,
        "hors" => Parcours::HorsParcours,
        _ => panic!("bad parcours {s}"),
    }
}

pub fn rule(s: &str) -> RateRule {
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

pub fn limit(s: &str) -> DeductionLimit {
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

pub fn situation(f: &Fields) -> Situation {
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

fn sheet(f: &Fields, nir: Nir) -> CareSheet {
    CareSheet {
        nir,
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
pub fn sample_nir() -> Nir {
    let body = "1800575123456";
    let key = caisse_domain::compute_key(body).unwrap();
    Nir::parse(&format!("{body}{key:02}")).unwrap()
}

fn line(code: &str, f: &Fields) -> CareLine {
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

pub fn check_line(case: &str, l: &LineLiquidation, f: &Fields, failures: &mut Vec<String>) {
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
        let v = v.clone();
        match key.as_str() {
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

/// The totals of a liquidated sheet, from the pure liquidation or read back from the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Totals {
    pub payee: Payee,
    pub base: AmountCents,
    pub amo: AmountCents,
    pub regime_local: AmountCents,
    pub deductions: AmountCents,
    pub paid: AmountCents,
    pub withheld: AmountCents,
    pub member_debt: AmountCents,
}

impl From<&Liquidation> for Totals {
    fn from(l: &Liquidation) -> Totals {
        Totals {
            payee: l.payee,
            base: l.base,
            amo: l.amo,
            regime_local: l.regime_local,
            deductions: l.deductions,
            paid: l.paid,
            withheld: l.withheld,
            member_debt: l.member_debt,
        }
    }
}

pub fn check_total(case: &str, liq: &Totals, f: &Fields, failures: &mut Vec<String>) {
    for (key, value) in &f.0 {
        let Some(v) = value else { continue };
        if key == "payee" {
            let want = match v.as_str() {
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
        let got = match key.as_str() {
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

/// Checks `expectation` against the lines and totals of its sheet.
pub fn check(
    case: &str,
    expectation: &Expectation,
    lines: &[&LineLiquidation],
    totals: &Totals,
    failures: &mut Vec<String>,
) {
    match expectation.target {
        Target::Total => check_total(case, totals, &expectation.fields, failures),
        Target::Line(n) => match n.checked_sub(1).and_then(|i| lines.get(i)) {
            Some(l) => check_line(case, l, &expectation.fields, failures),
            None => failures.push(format!("{case}: no line {n}")),
        },
    }
}

/// Runs every case of `text` against the pure `liquidate`; returns how many ran and the
/// failures.
pub fn run(text: &str, tables: &ReferenceTables) -> (usize, Vec<String>) {
    let cases = parse(text);
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.name.as_str();
        let mut counters = case.initial_counters();
        let mut liquidations = Vec::with_capacity(case.sheets.len());
        if !case.sheets.is_empty() {
            let who = situation(case.situation.as_ref().expect("situation before sheet"));
            for spec in &case.sheets {
                match liquidate(&spec.care_sheet(sample_nir()), &who, tables, &counters) {
                    Ok(liq) => {
                        counters = liq.counters.clone();
                        liquidations.push(liq);
                    }
                    Err(e) => panic!("{name}: {e}"),
                }
            }
        }
        for expectation in &case.expectations {
            let liq = &liquidations[expectation.sheet];
            let lines: Vec<&LineLiquidation> = liq.lines.iter().collect();
            check(name, expectation, &lines, &Totals::from(liq), &mut failures);
        }
        for ij in &case.ij {
            run_ij(name, ij, tables, &mut failures);
        }
    }
    (cases.len(), failures)
}

fn run_ij(name: &str, ij: &IjCheck, tables: &ReferenceTables, failures: &mut Vec<String>) {
    match ij {
        IjCheck::Daily(f) => {
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
        IjCheck::Days(f) => {
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
    }
}
