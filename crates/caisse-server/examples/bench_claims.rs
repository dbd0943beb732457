//! Throughput of the claims engine on PostgreSQL, for `docs/perf.md` (run by
//! `scripts/bench-claims`, which creates the database and drops it afterwards).
//!
//! On a freshly migrated database it loads the reference data, creates `--members` members
//! (coverage, some ALD, C2S and régime local, most with a médecin traitant and an IBAN, some
//! with a child), one sender key, writes a JSON Lines lot of `--sheets` sheets (about 2.5 care
//! lines each, acts of `reference/tariffs.csv`, days of care within the last two years, a
//! quarter in tiers payant) to `--workdir`, then measures, one after the other:
//!
//! 1. ingest: `import_lot` (both passes over the file, as `caisse admin import-claims`);
//! 2. liquidation: `liquidate_batch` until nothing is received;
//! 3. payments: `make_payments` until nothing is paid;
//! 4. the ceiling: `COPY` (psql `\copy`) of the liquidated lines, the same rows and columns as
//!    `care_lines`, into an unpartitioned table with the same indexes.
//!
//! Every phase prints sheets/s, lines/s, its ratio to the COPY rate in lines/s, and the
//! process's peak resident memory so far (`VmHWM`).

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use caisse_core::claims::import::{ImportOutcome, Submitter, import_lot};
use caisse_core::claims::liquidation::liquidate_all;
use caisse_core::claims::payments::make_payments;
use caisse_core::claims::worker::ClaimsWorkerSettings;
use caisse_core::claims::{reference_data, senders};
use caisse_core::demo::REFERENCE_FILES;
use caisse_domain::claims::ProfessionalId;
use caisse_domain::paris_time::paris_time;
use caisse_domain::rights::{C2sKind, CodeGestion, ExemptionNature, Period, Rate, RegimeCode};
use caisse_domain::{CaisseCode, Iban, Instant as DbInstant, Nir, Sex, compute_key};
use caisse_store::claims::lots::LotSource;
use caisse_store::members::{NewBeneficiary, NewMember};
use caisse_store::rights::{C2s, Coverage, Doctor, Exemption, Rights};
use caisse_store::{ConnectionTrait, Db, members, rights};
use clap::Parser;
use sea_orm::Statement;
use time::macros::date;
use time::{Date, Duration as TimeDuration, OffsetDateTime};
use uuid::Uuid;

#[derive(Parser)]
struct Args {
    /// The database to fill (freshly created, dropped by the script).
    #[arg(long)]
    database_url: String,
    /// Members in the file.
    #[arg(long, default_value_t = 100_000)]
    members: u32,
    /// Sheets in the lot.
    #[arg(long, default_value_t = 1_000_000)]
    sheets: u32,
    /// Where the lot and the COPY file are written.
    #[arg(long)]
    workdir: PathBuf,
    /// Sheets per liquidation batch (the worker's default).
    #[arg(long, default_value_t = ClaimsWorkerSettings::default().batch)]
    batch: u64,
    /// Liquidation batches side by side (the worker's default).
    #[arg(long, default_value_t = ClaimsWorkerSettings::default().liquidators)]
    liquidators: usize,
}

const FUND: &str = "781";
const SENDER: &str = "10003456789";
const IBAN: &str = "FR7630006000011234567890189";

/// splitmix64: the same lot for the same arguments, without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// In `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// True with probability `percent` %.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn birth_date(i: u32) -> Date {
    let year = 1940 + i32::try_from(i % 80).unwrap_or(0);
    let month = time::Month::try_from(u8::try_from(1 + i % 12).unwrap_or(1))
        .unwrap_or(time::Month::January);
    Date::from_calendar_date(year, month, u8::try_from(1 + i % 28).unwrap_or(1))
        .unwrap_or(date!(1980 - 01 - 01))
}

fn nir(i: u32) -> anyhow::Result<String> {
    let birth = birth_date(i);
    let sex = 1 + i % 2;
    let body = format!(
        "{sex}{:02}{:02}78{:03}{:03}",
        birth.year() % 100,
        u8::from(birth.month()),
        1 + i / 999,
        1 + i % 999
    );
    let key = compute_key(&body).context("NIR key")?;
    Ok(format!("{body}{key:02}"))
}

/// Whether member `i` has these features (fixed per member, so the lot agrees with the file).
fn has_child(i: u32) -> bool {
    i % 10 < 3
}
fn has_ald(i: u32) -> bool {
    i % 10 == 5
}
fn has_c2s(i: u32) -> bool {
    i % 13 == 1
}
fn has_iban(i: u32) -> bool {
    i % 100 != 42
}

async fn create_members(db: &Db, count: u32, now: OffsetDateTime) -> anyhow::Result<()> {
    let caisse = CaisseCode::parse(FUND)?;
    let iban = Iban::parse(IBAN)?;
    let at = DbInstant::from(now);
    let since = date!(2020 - 01 - 01);
    let mut start = 0;
    while start < count {
        let end = (start + 5_000).min(count);
        let mut records = Vec::new();
        let mut children = Vec::new();
        let mut families = Vec::new();
        for i in start..end {
            let id = Uuid::now_v7();
            records.push((
                id,
                NewMember {
                    nir: Nir::parse(&nir(i)?)?,
                    last_name: "BENCH".to_owned(),
                    usage_name: None,
                    first_name: format!("Membre{i}"),
                    birth_date: birth_date(i),
                    sex: if i % 2 == 0 { Sex::Male } else { Sex::Female },
                    caisse_code: caisse,
                    vitale_serial: None,
                    address_line1: "1 rue Haute".to_owned(),
                    address_line2: None,
                    postal_code: "78000".to_owned(),
                    city: "VERSAILLES".to_owned(),
                    email: None,
                    phone: None,
                    iban: has_iban(i).then(|| iban.clone()),
                },
            ));
            if has_child(i) {
                children.push((
                    id,
                    NewBeneficiary {
                        rank: 2,
                        last_name: "BENCH".to_owned(),
                        first_name: "Enfant".to_owned(),
                        birth_date: date!(2015 - 06 - 01),
                        sex: Sex::Female,
                    },
                ));
            }
            let mut doctors = Vec::new();
            if i % 5 != 0 {
                doctors.push(Doctor {
                    rank: 1,
                    name: "Dr MARTIN".to_owned(),
                    declared_on: Some(since),
                });
            }
            families.push((
                id,
                Rights {
                    coverages: vec![Coverage {
                        regime: RegimeCode::parse("01")?,
                        code_gestion: CodeGestion::parse("10")?,
                        caisse,
                        period: Period::new(since, None)?,
                        local_regime: i % 25 == 3,
                    }],
                    exemptions: if has_ald(i) {
                        vec![Exemption {
                            rank: 1,
                            nature: ExemptionNature::Ald,
                            rate: Rate::from_percent(100)?,
                            period: Period::new(since, None)?,
                        }]
                    } else {
                        Vec::new()
                    },
                    doctors,
                    c2s: if has_c2s(i) {
                        vec![C2s {
                            kind: C2sKind::SansParticipation,
                            period: Period::new(since, None)?,
                        }]
                    } else {
                        Vec::new()
                    },
                },
            ));
        }
        members::upsert_many(db, records, at).await?;
        members::insert_beneficiaries(db, children).await?;
        rights::insert_many(db, families).await?;
        start = end;
    }
    Ok(())
}

/// One care line: (act, quantity, coefficient as written, charged cents).
fn act(rng: &mut Rng, kind: u64) -> (&'static str, u64, &'static str, u64) {
    match kind {
        0 => ("G", 1, "1", 3000),
        1 => ("CS", 1, "1", 3000 + 500 * rng.below(4)),
        2 => ("AMI", 1 + rng.below(2), "1,5", 945),
        3 => ("AMK", 1, "7,5", 1635),
        4 => ("B", 1, "70", 1750),
        5 => ("ZBQK002", 1, "1", 2128),
        6 => ("PH1", 1 + rng.below(3), "1", 500 + 10 * rng.below(3000)),
        7 => ("PH7", 1 + rng.below(3), "1", 200 + 10 * rng.below(500)),
        8 => ("PH4", 1 + rng.below(2), "1", 150 + 10 * rng.below(200)),
        _ => ("PH2", 1, "1", 100 + 10 * rng.below(100)),
    }
}

/// Writes the lot; returns its care-line count.
fn write_lot(path: &Path, members: u32, sheets: u32, today: Date) -> anyhow::Result<u64> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    writeln!(
        out,
        "{{\"lot\": {{\"type_emetteur\": \"rpps\", \"emetteur\": \"{SENDER}\", \"numero_lot\": 1}}}}"
    )?;
    let mut rng = Rng(0x00C0_FFEE);
    let mut lines = 0_u64;
    let nirs: Vec<String> = (0..members).map(nir).collect::<anyhow::Result<_>>()?;
    for n in 1..=sheets {
        let i = u32::try_from(rng.below(u64::from(members))).unwrap_or(0);
        let rank = if has_child(i) && rng.chance(30) { 2 } else { 1 };
        let day = today - TimeDuration::days(i64::try_from(1 + rng.below(720)).unwrap_or(1));
        let ald = has_ald(i) && rank == 1 && rng.chance(60);
        // A consultation (1 line), nursing or physiotherapy (2), biology or radiology (2), or a
        // pharmacy sheet (3 to 5): 2.5 lines a sheet on average.
        let (kinds, professional, prescribed): (Vec<u64>, u64, bool) = match rng.below(10) {
            0..=3 => (vec![rng.below(2)], rng.below(500), false),
            4 | 5 => (
                vec![2 + rng.below(2), 2 + rng.below(2)],
                500 + rng.below(300),
                true,
            ),
            6 => (vec![4, 5], 800 + rng.below(100), true),
            _ => (
                (0..3 + rng.below(3)).map(|_| 6 + rng.below(4)).collect(),
                900 + rng.below(100),
                true,
            ),
        };
        let tiers_payant = rng.chance(25);
        let parcours = match rng.below(20) {
            0 => "acces_direct",
            1 => "hors_parcours",
            2 => "urgence",
            3 | 4 => "oriente",
            _ => "medecin_traitant",
        };
        let professional = 10_000_000_000_u64 + professional * 7 + 3;
        let prescriber = if prescribed {
            format!(
                ", \"type_prescripteur\": \"rpps\", \"prescripteur\": \"{}\"",
                10_000_000_000_u64 + rng.below(500) * 7 + 3
            )
        } else {
            String::new()
        };
        write!(
            out,
            "{{\"numero_feuille\": {n}, \"nir\": \"{}\", \"rang\": {rank}, \"type_professionnel\": \"rpps\", \"professionnel\": \"{professional}\"{prescriber}, \"date_soins\": \"{day}\", \"tiers_payant\": {tiers_payant}, \"part_complementaire\": false, \"parcours\": \"{parcours}\", \"actes\": [",
            nirs[usize::try_from(i).unwrap_or(0)]
        )?;
        for (k, kind) in kinds.iter().enumerate() {
            let (code, quantity, coefficient, charged) = act(&mut rng, *kind);
            let sep = if k == 0 { "" } else { ", " };
            write!(
                out,
                "{sep}{{\"code_acte\": \"{code}\", \"quantite\": {quantity}, \"coefficient\": \"{coefficient}\", \"montant_cents\": {}, \"ald\": {ald}, \"at_mp\": false}}",
                charged * quantity
            )?;
        }
        writeln!(out, "]}}")?;
        lines += u64::try_from(kinds.len()).unwrap_or(0);
    }
    out.flush()?;
    Ok(lines)
}

/// The process's peak resident memory so far, in MiB (`VmHWM`).
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).map(str::to_owned))
        })
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

async fn count(db: &Db, sql: &str) -> anyhow::Result<i64> {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?
        .context("a count")?;
    Ok(row.try_get_by_index(0)?)
}

fn psql(url: &str, command: &str) -> anyhow::Result<()> {
    let status = Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", command])
        .status()
        .context("run psql")?;
    if !status.success() {
        bail!("psql failed: {command}");
    }
    Ok(())
}

struct Phase {
    name: &'static str,
    elapsed: Duration,
    sheets: u64,
    lines: u64,
    rss: f64,
}

impl Phase {
    fn lines_per_second(&self) -> f64 {
        rate(self.lines, self.elapsed)
    }
}

fn rate(n: u64, elapsed: Duration) -> f64 {
    // A rate to print: f64's precision is plenty.
    let n = n as f64;
    n / elapsed.as_secs_f64().max(1e-9)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let db = caisse_store::connect(&args.database_url, 4).await?;
    caisse_store::run_migrations(&db).await?;
    let now = OffsetDateTime::now_utc();
    let today = paris_time(now).date();

    let started = Instant::now();
    reference_data::load(&db, &REFERENCE_FILES, now).await?;
    let caisse = CaisseCode::parse(FUND)?;
    let sender = ProfessionalId::rpps(SENDER)?;
    senders::add(
        &db,
        caisse,
        &sender,
        "Centre de santé BENCH",
        &Iban::parse(IBAN)?,
        now,
    )
    .await?;
    create_members(&db, args.members, now).await?;
    println!(
        "setup: reference data, 1 sender key, {} members in {:.1} s",
        args.members,
        started.elapsed().as_secs_f64()
    );

    let lot = args.workdir.join("lot.jsonl");
    let started = Instant::now();
    let lot_lines = write_lot(&lot, args.members, args.sheets, today)?;
    let size = std::fs::metadata(&lot)?.len();
    println!(
        "lot: {} sheets, {lot_lines} care lines ({:.2} a sheet), {:.0} MB, written in {:.1} s",
        args.sheets,
        rate(lot_lines, Duration::from_secs(u64::from(args.sheets))),
        rate(size, Duration::from_secs(1_000_000)),
        started.elapsed().as_secs_f64()
    );
    let tables = reference_data::current(&db).await?;
    let mut phases = Vec::new();

    // 1. Ingest.
    let started = Instant::now();
    let outcome = import_lot(
        &db,
        &tables,
        || File::open(&lot).map(|f| BufReader::with_capacity(1 << 16, f)),
        None,
        Submitter::Operator(caisse),
        LotSource::File,
        now,
    )
    .await?;
    let elapsed = started.elapsed();
    let ImportOutcome::Accepted(ack) = outcome else {
        bail!("the lot was not accepted: {outcome:?}");
    };
    println!(
        "ingest: {} sheets accepted, {} rejected{}",
        ack.sheets_accepted,
        ack.sheets_rejected,
        ack.rejected
            .first()
            .map(|r| format!(" (first: {})", r.message))
            .unwrap_or_default()
    );
    phases.push(Phase {
        name: "ingest (both passes)",
        elapsed,
        sheets: u64::from(args.sheets),
        lines: lot_lines,
        rss: peak_rss_mib(),
    });

    // 2. Liquidation.
    let started = Instant::now();
    let report = liquidate_all(
        &db,
        std::sync::Arc::new(tables),
        args.batch,
        args.liquidators,
        now,
    )
    .await?;
    let (liquidated, rejected) = (report.liquidated, report.rejected);
    let elapsed = started.elapsed();
    let care_lines = u64::try_from(count(&db, "SELECT COUNT(*) FROM care_lines").await?)?;
    println!("liquidation: {liquidated} liquidated, {rejected} rejected, {care_lines} care lines");
    phases.push(Phase {
        name: "liquidation",
        elapsed,
        sheets: liquidated + rejected,
        lines: care_lines,
        rss: peak_rss_mib(),
    });

    // 3. Payments.
    let started = Instant::now();
    let (mut payments, mut paid) = (0, 0);
    let mut waiting;
    loop {
        let run = make_payments(&db, today, now).await?;
        payments += run.payments;
        paid += run.sheets;
        waiting = run.waiting;
        if run.sheets == 0 {
            break;
        }
    }
    let elapsed = started.elapsed();
    println!("payments: {payments} payments for {paid} sheets, {waiting} sheets waiting");
    let paid_lines = u64::try_from(
        count(
            &db,
            "SELECT COUNT(*) FROM care_lines l JOIN care_sheets s \
             ON s.id = l.sheet_id AND s.date_of_care = l.date_of_care WHERE s.state = 'payee'",
        )
        .await?,
    )?;
    phases.push(Phase {
        name: "payments",
        elapsed,
        sheets: paid,
        lines: paid_lines,
        rss: peak_rss_mib(),
    });

    // 4. The ceiling: COPY of the same lines into a table with the same indexes.
    let csv = args.workdir.join("care_lines.csv");
    let csv_path = csv.display().to_string();
    psql(
        &args.database_url,
        &format!("\\copy (SELECT * FROM care_lines) TO '{csv_path}' WITH (FORMAT csv)"),
    )?;
    psql(
        &args.database_url,
        "CREATE TABLE bench_copy_lines (LIKE care_lines INCLUDING DEFAULTS); \
         ALTER TABLE bench_copy_lines ADD PRIMARY KEY (sheet_id, line_no, date_of_care); \
         CREATE INDEX ON bench_copy_lines (member_id, date_of_care)",
    )?;
    let started = Instant::now();
    psql(
        &args.database_url,
        &format!("\\copy bench_copy_lines FROM '{csv_path}' WITH (FORMAT csv)"),
    )?;
    let copy_elapsed = started.elapsed();
    let copy_rate = rate(care_lines, copy_elapsed);
    std::fs::remove_file(&csv).ok();
    let floor_elapsed = floor(&args, copy_elapsed)?;

    let total = phases.iter().fold(Duration::ZERO, |sum, p| sum + p.elapsed);
    let end_to_end = Phase {
        name: "end to end",
        elapsed: total,
        sheets: u64::from(args.sheets),
        lines: lot_lines,
        rss: peak_rss_mib(),
    };
    println!();
    println!(
        "COPY ceiling: {care_lines} lines in {:.1} s = {copy_rate:.0} lines/s",
        copy_elapsed.as_secs_f64()
    );
    println!();
    println!("| phase | time | sheets/s | lines/s | ratio to COPY | peak RSS so far |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for p in phases.iter().chain(std::iter::once(&end_to_end)) {
        println!(
            "| {} | {:.1} s | {:.0} | {:.0} | {:.3} | {:.0} MiB |",
            p.name,
            p.elapsed.as_secs_f64(),
            rate(p.sheets, p.elapsed),
            p.lines_per_second(),
            p.lines_per_second() / copy_rate.max(1e-9),
            p.rss
        );
    }
    println!(
        "| COPY (ceiling) | {:.1} s | | {copy_rate:.0} | 1 | |",
        copy_elapsed.as_secs_f64()
    );
    println!(
        "| floor (COPY sheets + COPY lines + 2 state UPDATEs) | {:.1} s | {:.0} | {:.0} | {:.3} | |",
        floor_elapsed.as_secs_f64(),
        rate(u64::from(args.sheets), floor_elapsed),
        rate(lot_lines, floor_elapsed),
        rate(lot_lines, floor_elapsed) / copy_rate.max(1e-9)
    );
    Ok(())
}

/// The least any engine keeping the records must write, each by the fastest means
/// PostgreSQL has: the sheets as received by `COPY` into a table with `care_sheets`' columns
/// and indexes, the lines (the ceiling's `COPY`, `lines_copy`), then each sheet's two state
/// changes (liquidée, payée) by one set-based `UPDATE` each. No reading, no rule, no
/// counter, no payment row: a bound, not an engine.
fn floor(args: &Args, lines_copy: Duration) -> anyhow::Result<Duration> {
    let csv = args.workdir.join("care_sheets.csv");
    let csv_path = csv.display().to_string();
    psql(
        &args.database_url,
        &format!("\\copy (SELECT * FROM care_sheets) TO '{csv_path}' WITH (FORMAT csv)"),
    )?;
    psql(
        &args.database_url,
        "CREATE TABLE bench_floor_sheets (LIKE care_sheets INCLUDING DEFAULTS INCLUDING INDEXES)",
    )?;
    let started = Instant::now();
    psql(
        &args.database_url,
        &format!("\\copy bench_floor_sheets FROM '{csv_path}' WITH (FORMAT csv)"),
    )?;
    psql(
        &args.database_url,
        "UPDATE bench_floor_sheets SET state = 'liquidee', liquidated_at = now()",
    )?;
    psql(
        &args.database_url,
        "UPDATE bench_floor_sheets SET state = 'payee', paid_at = now()",
    )?;
    let elapsed = started.elapsed() + lines_copy;
    std::fs::remove_file(&csv).ok();
    println!(
        "floor: sheets COPY and two state UPDATEs in {:.1} s, plus the lines' COPY",
        (elapsed - lines_copy).as_secs_f64()
    );
    Ok(elapsed)
}
