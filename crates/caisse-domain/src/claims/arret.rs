//! Arrêts de travail and the schedule of their indemnités journalières: the daily amount by
//! kind (maladie, maternité, AT/MP), the waiting days, and the payments every 14 paid days
//! with CSG, CRDS, net, taxable share and payee (the member, or the employer under
//! subrogation). Pure; every figure is a dated row of `reference/ij*.csv`, every rounding is
//! in `docs/claims-rules.md` (§ Indemnités journalières).

use std::fmt;

use time::{Date, Duration};

use super::rate::round_half_up;
use super::{BasisPoints, IjDaily, IjError, ReferenceTables, Siret, ij_daily_amount};
use crate::AmountCents;

/// What stops the member from working.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ArretKind {
    /// Illness (IJ maladie: 50 % of the SJB, 3 waiting days).
    Maladie,
    /// Maternité, paternité or adoption leave (SJB capped at the PMSS, minus 21 %).
    Maternite,
    /// Accident du travail or maladie professionnelle (60 % then 80 %, no waiting day).
    AtMp,
}

/// An unknown code of arrêt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an arrêt is maladie, maternite or at_mp")]
pub struct ArretKindError;

impl ArretKindError {
    /// The sentence shown to an operator, in French.
    pub fn message_fr(&self) -> &'static str {
        "Le type d'arrêt est maladie, maternite ou at_mp."
    }
}

impl ArretKind {
    /// Every kind.
    pub const ALL: [ArretKind; 3] = [ArretKind::Maladie, ArretKind::Maternite, ArretKind::AtMp];

    /// The code in files and the database.
    pub fn code(self) -> &'static str {
        match self {
            ArretKind::Maladie => "maladie",
            ArretKind::Maternite => "maternite",
            ArretKind::AtMp => "at_mp",
        }
    }

    /// The kind of a code.
    pub fn parse(code: &str) -> Result<ArretKind, ArretKindError> {
        ArretKind::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or(ArretKindError)
    }

    /// For the member's page.
    pub fn label_fr(self) -> &'static str {
        match self {
            ArretKind::Maladie => "Arrêt maladie",
            ArretKind::Maternite => "Congé maternité, paternité ou d'adoption",
            ArretKind::AtMp => "Accident du travail ou maladie professionnelle",
        }
    }
}

/// The employer asked to receive the IJ in the member's place (it keeps paying the salary):
/// IJ for days up to `until` (included) are paid to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Subrogation {
    /// The last day whose IJ go to the employer.
    pub until: Date,
}

/// One arrêt de travail with its attestation de salaire.
#[derive(Clone, PartialEq, Eq)]
pub struct ArretDeTravail {
    /// Maladie, maternité or AT/MP.
    pub kind: ArretKind,
    /// First day off work.
    pub start: Date,
    /// Last day off work (included).
    pub end: Date,
    /// The establishment that employs the member.
    pub employer: Siret,
    /// Gross salaries of the attestation. Maladie and maternité: the three calendar months
    /// before the arrêt, any order (they are summed). AT/MP: the last pay before the arrêt
    /// in the first slot; the other two are not read (send 0).
    pub gross_salaries: [AmountCents; 3],
    /// Subrogation to the employer, if asked.
    pub subrogation: Option<Subrogation>,
    /// Whether the délai de carence applies (maladie only): false when work resumed less
    /// than 48 h between two arrêts, or for successive arrêts for the same ALD.
    pub carence_applies: bool,
    /// The arrêt is linked to an exonerating ALD (its IJ are not taxable).
    pub ald: bool,
}

// Salaries are personal data: masked.
impl fmt::Debug for ArretDeTravail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArretDeTravail")
            .field("kind", &self.kind)
            .field("start", &self.start)
            .field("end", &self.end)
            .field("employer", &self.employer)
            .field("gross_salaries", &"<masqué>")
            .field("subrogation", &self.subrogation)
            .field("carence_applies", &self.carence_applies)
            .field("ald", &self.ald)
            .finish()
    }
}

/// Which limit set the daily IJ maternité.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DailyLimit {
    /// Raised to the least IJ per day.
    Minimum,
    /// Lowered to the most IJ per day.
    Maximum,
}

/// How a daily IJ maternité was computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MaterniteDaily {
    /// The three months' salaries, each capped by the PMSS.
    pub counted_salaries: AmountCents,
    /// How many months were above the PMSS.
    pub months_capped: u8,
    /// counted ÷ 91.25 × (1 − 21 %), rounded half up to the cent once.
    pub computed: AmountCents,
    /// The IJ per day: `computed` within the minimum and maximum.
    pub daily: AmountCents,
    /// The limit applied, if any.
    pub limit: Option<DailyLimit>,
}

/// How a daily IJ AT/MP was computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AtMpDaily {
    /// The salaire journalier de base: last pay ÷ 30.42 rounded half up to the cent, then
    /// capped at 0.834 % of the PASS (itself rounded half up to the cent).
    pub sjb: AmountCents,
    /// Whether the cap applied.
    pub sjb_capped: bool,
    /// 60 % of the SJB, rounded half up: days 1 to 28.
    pub daily: AmountCents,
    /// 80 % of the SJB, rounded half up: from `increased_from`.
    pub increased_daily: AmountCents,
    /// The 29th day of the arrêt.
    pub increased_from: Date,
}

/// How the daily amount was computed, by kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IjBasis {
    /// 50 % of the SJB capped by 1.4 SMIC.
    Maladie(IjDaily),
    /// The SJB capped at the PMSS, minus 21 %, within a minimum and a maximum.
    Maternite(MaterniteDaily),
    /// 60 % then 80 % of the SJB capped at 0.834 % of the PASS.
    AtMp(AtMpDaily),
}

/// Consecutive paid days at the same daily amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IjDailySpan {
    /// First day.
    pub from: Date,
    /// Last day (included).
    pub to: Date,
    /// The IJ of each of these days.
    pub daily: AmountCents,
}

/// Who receives a payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IjPayee {
    /// The insured member.
    Member,
    /// The employer, under subrogation.
    Employer,
}

impl IjPayee {
    /// The code in files and the database.
    pub fn code(self) -> &'static str {
        match self {
            IjPayee::Member => "assure",
            IjPayee::Employer => "employeur",
        }
    }

    /// The payee a stored code names.
    pub fn from_code(code: &str) -> Option<IjPayee> {
        [IjPayee::Member, IjPayee::Employer]
            .into_iter()
            .find(|p| p.code() == code)
    }

    /// For the member's page.
    pub fn label_fr(self) -> &'static str {
        match self {
            IjPayee::Member => "Versé à l'assuré",
            IjPayee::Employer => "Versé à l'employeur (subrogation)",
        }
    }
}

/// Where a payment of a stored schedule stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IjPaymentState {
    /// Computed when the arrêt was received; paid once its period is over.
    Planned,
    /// Paid (in a payment to the member or the employer).
    Paid,
}

impl IjPaymentState {
    /// Every state.
    pub const ALL: [IjPaymentState; 2] = [IjPaymentState::Planned, IjPaymentState::Paid];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            IjPaymentState::Planned => "planned",
            IjPaymentState::Paid => "paid",
        }
    }

    /// The state a stored code names.
    pub fn from_code(code: &str) -> Option<IjPaymentState> {
        IjPaymentState::ALL.into_iter().find(|s| s.code() == code)
    }

    /// For the member's page.
    pub fn label_fr(self) -> &'static str {
        match self {
            IjPaymentState::Planned => "À verser à la fin de la période",
            IjPaymentState::Paid => "Versé",
        }
    }
}

/// Amounts of a payment or of a whole schedule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IjAmounts {
    /// The IJ before withholding: the sum of the days' IJ.
    pub gross: AmountCents,
    /// CSG withheld (6.2 % of gross, rounded half up per payment).
    pub csg: AmountCents,
    /// CRDS withheld (0.5 % of gross, rounded half up per payment).
    pub crds: AmountCents,
    /// What is paid: gross − CSG − CRDS.
    pub net: AmountCents,
    /// What is declared for income tax: (gross − deductible CSG) × the taxable share.
    pub taxable: AmountCents,
}

impl IjAmounts {
    fn add(self, other: IjAmounts) -> IjAmounts {
        let sum =
            |a: AmountCents, b: AmountCents| AmountCents::new(a.cents().saturating_add(b.cents()));
        IjAmounts {
            gross: sum(self.gross, other.gross),
            csg: sum(self.csg, other.csg),
            crds: sum(self.crds, other.crds),
            net: sum(self.net, other.net),
            taxable: sum(self.taxable, other.taxable),
        }
    }
}

/// One payment: at most 14 paid days, to one payee.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IjPayment {
    /// First paid day.
    pub from: Date,
    /// Last paid day (included).
    pub to: Date,
    /// Paid days.
    pub days: u32,
    /// Who receives it.
    pub payee: IjPayee,
    /// The taxable share applied (100 %, 50 %, 0 %…).
    pub taxable_share: BasisPoints,
    /// Its amounts.
    pub amounts: IjAmounts,
}

impl IjPayment {
    /// The gross amount of one paid day, as the member's documents print it (the gross over
    /// the days, rounded down to the cent).
    pub fn daily_gross(&self) -> AmountCents {
        AmountCents::new(self.amounts.gross.cents() / i64::from(self.days.max(1)))
    }
}

/// The IJ of an arrêt: how the daily amount was found, the days paid at each amount, and
/// the payments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IjSchedule {
    /// How the daily amount was computed.
    pub basis: IjBasis,
    /// Days of the arrêt, both ends included.
    pub days: u32,
    /// Waiting days not paid at the start (maladie with carence only).
    pub waiting_days: u32,
    /// Days paid: `days` − `waiting_days`.
    pub paid_days: u32,
    /// The paid days by daily amount, in order (two spans for an AT/MP past day 28).
    pub spans: Vec<IjDailySpan>,
    /// The payments, in order.
    pub payments: Vec<IjPayment>,
    /// The payments summed.
    pub total: IjAmounts,
}

/// Whole days from `from` to `to`, both included (0 when `to` is before `from`).
fn days_between(from: Date, to: Date) -> u32 {
    u32::try_from((to - from).whole_days() + 1).unwrap_or(0)
}

/// `date` plus `days` days, or the last representable date.
fn plus_days(date: Date, days: u32) -> Date {
    date.saturating_add(Duration::days(i64::from(days)))
}

/// The IJ schedule of `arret`; see the module's documentation.
///
/// # Errors
/// When the arrêt ends before it starts, a salary is negative, or no reference row covers a
/// date the schedule needs.
pub fn ij_schedule(
    arret: &ArretDeTravail,
    tables: &ReferenceTables,
) -> Result<IjSchedule, IjError> {
    if arret.end < arret.start {
        return Err(IjError::EndsBeforeStart);
    }
    if arret.gross_salaries.iter().any(|s| s.cents() < 0) {
        return Err(IjError::NegativeSalary);
    }
    let (start, end) = (arret.start, arret.end);
    let days = days_between(start, end);
    let (basis, waiting_days, spans) = match arret.kind {
        ArretKind::Maladie => {
            let daily = ij_daily_amount(arret.gross_salaries, start, tables)?;
            let waiting = if arret.carence_applies {
                u32::from(tables.ij(start)?.waiting_days).min(days)
            } else {
                0
            };
            let mut spans = Vec::new();
            if waiting < days {
                spans.push(IjDailySpan {
                    from: plus_days(start, waiting),
                    to: end,
                    daily: daily.daily,
                });
            }
            (IjBasis::Maladie(daily), waiting, spans)
        }
        ArretKind::Maternite => {
            let daily = maternite_daily(arret.gross_salaries, start, tables)?;
            let spans = vec![IjDailySpan {
                from: start,
                to: end,
                daily: daily.daily,
            }];
            (IjBasis::Maternite(daily), 0, spans)
        }
        ArretKind::AtMp => {
            let daily = at_mp_daily(arret.gross_salaries[0], start, tables)?;
            let mut spans = Vec::new();
            if daily.increased_from > start {
                spans.push(IjDailySpan {
                    from: start,
                    to: end.min(daily.increased_from.previous_day().unwrap_or(start)),
                    daily: daily.daily,
                });
            }
            if daily.increased_from <= end {
                spans.push(IjDailySpan {
                    from: daily.increased_from.max(start),
                    to: end,
                    daily: daily.increased_daily,
                });
            }
            (IjBasis::AtMp(daily), 0, spans)
        }
    };
    let payments = payments(arret, &spans, tables)?;
    let total = payments
        .iter()
        .fold(IjAmounts::default(), |sum, p| sum.add(p.amounts));
    Ok(IjSchedule {
        basis,
        days,
        waiting_days,
        paid_days: days - waiting_days,
        spans,
        payments,
        total,
    })
}

/// The daily IJ maternité from the three months before `start`.
pub fn maternite_daily(
    gross_salaries: [AmountCents; 3],
    start: Date,
    tables: &ReferenceTables,
) -> Result<MaterniteDaily, IjError> {
    let p = tables.ij_maternite(start)?;
    let mut counted = 0_i64;
    let mut months_capped = 0_u8;
    for gross in gross_salaries {
        if gross.cents() < 0 {
            return Err(IjError::NegativeSalary);
        }
        if gross.cents() > p.pmss.cents() {
            months_capped += 1;
        }
        counted = counted.saturating_add(gross.cents().min(p.pmss.cents()));
    }
    // counted × (10000 − deduction) / 10000 ÷ (divisor / 100), in one division.
    let kept = 10_000 - i64::from(p.flat_deduction.get());
    let computed = round_half_up(
        counted.saturating_mul(kept).saturating_mul(100),
        10_000 * i64::from(p.divisor_hundredths),
    );
    let (daily, limit) = if computed < p.min_daily.cents() {
        (p.min_daily.cents(), Some(DailyLimit::Minimum))
    } else if computed > p.max_daily.cents() {
        (p.max_daily.cents(), Some(DailyLimit::Maximum))
    } else {
        (computed, None)
    };
    Ok(MaterniteDaily {
        counted_salaries: AmountCents::new(counted),
        months_capped,
        computed: AmountCents::new(computed),
        daily: AmountCents::new(daily),
        limit,
    })
}

/// The daily IJ AT/MP from the last pay before `start`.
pub fn at_mp_daily(
    last_pay: AmountCents,
    start: Date,
    tables: &ReferenceTables,
) -> Result<AtMpDaily, IjError> {
    if last_pay.cents() < 0 {
        return Err(IjError::NegativeSalary);
    }
    let p = tables.ij_at_mp(start)?;
    let sjb = round_half_up(
        last_pay.cents().saturating_mul(100),
        i64::from(p.divisor_hundredths),
    );
    let cap = round_half_up(
        p.pass
            .cents()
            .saturating_mul(i64::from(p.sjb_cap_pass_100000ths)),
        100_000,
    );
    let counted = sjb.min(cap);
    Ok(AtMpDaily {
        sjb: AmountCents::new(counted),
        sjb_capped: sjb > cap,
        daily: AmountCents::new(p.rate.apply(counted)),
        increased_daily: AmountCents::new(p.increased_rate.apply(counted)),
        increased_from: plus_days(start, p.increased_from_day.saturating_sub(1)),
    })
}

/// The payments of the paid days in `spans`: periods of at most `payment_period_days` from
/// the first paid day, each split where the subrogation ends.
fn payments(
    arret: &ArretDeTravail,
    spans: &[IjDailySpan],
    tables: &ReferenceTables,
) -> Result<Vec<IjPayment>, IjError> {
    let (Some(first), Some(last)) = (spans.first(), spans.last()) else {
        return Ok(Vec::new());
    };
    let (first_day, end) = (first.from, last.to);
    let period = tables.ij_charges(first_day)?.payment_period_days.max(1);
    let mut payments = Vec::new();
    let mut cursor = first_day;
    loop {
        let period_end = plus_days(cursor, period - 1).min(end);
        let pieces = match arret.subrogation {
            Some(s) if s.until >= period_end => {
                [Some((cursor, period_end, IjPayee::Employer)), None]
            }
            Some(s) if s.until >= cursor => [
                Some((cursor, s.until, IjPayee::Employer)),
                s.until
                    .next_day()
                    .map(|next| (next, period_end, IjPayee::Member)),
            ],
            _ => [Some((cursor, period_end, IjPayee::Member)), None],
        };
        for (from, to, payee) in pieces.into_iter().flatten() {
            payments.push(payment(arret, spans, from, to, payee, tables)?);
        }
        match period_end.next_day() {
            Some(next) if period_end < end => cursor = next,
            _ => break,
        }
    }
    Ok(payments)
}

fn payment(
    arret: &ArretDeTravail,
    spans: &[IjDailySpan],
    from: Date,
    to: Date,
    payee: IjPayee,
    tables: &ReferenceTables,
) -> Result<IjPayment, IjError> {
    let gross = spans.iter().fold(0_i64, |sum, span| {
        let days = days_between(span.from.max(from), span.to.min(to));
        sum.saturating_add(span.daily.cents().saturating_mul(i64::from(days)))
    });
    let charges = tables.ij_charges(from)?;
    let csg = charges.csg.apply(gross);
    let crds = charges.crds.apply(gross);
    let taxable_share = if arret.ald {
        charges.taxable_ald
    } else {
        match arret.kind {
            ArretKind::Maladie => charges.taxable_maladie,
            ArretKind::Maternite => charges.taxable_maternite,
            ArretKind::AtMp => charges.taxable_at_mp,
        }
    };
    let taxable = taxable_share.apply(gross - charges.csg_deductible.apply(gross));
    Ok(IjPayment {
        from,
        to,
        days: days_between(from, to),
        payee,
        taxable_share,
        amounts: IjAmounts {
            gross: AmountCents::new(gross),
            csg: AmountCents::new(csg),
            crds: AmountCents::new(crds),
            net: AmountCents::new(gross - csg - crds),
            taxable: AmountCents::new(taxable),
        },
    })
}
