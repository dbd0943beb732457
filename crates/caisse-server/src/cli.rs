//! The command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Caisse: member portal and back office of a health-insurance fund.
#[derive(Debug, Parser)]
#[command(name = "caisse", version, about)]
pub struct Cli {
    /// TOML configuration file (environment variables override it).
    #[arg(long, global = true, env = "CAISSE_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

/// What to run.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web pages, the JSON API and (unless --no-workers) the background workers.
    Serve(ServeOptions),
    /// Like serve, on a SQLite file of its own filled with demo data; prints the demo logins.
    Demo(ServeOptions),
    /// Run only the background workers (outbox delivery), for scale-out.
    Worker(WorkerOptions),
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Operator commands.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// The configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Development tools.
    #[command(subcommand)]
    Dev(DevCommand),
}

/// `caisse dev …`
#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Serve a local emulator of the card payment provider (a « Payer » / « Refuser » page that
    /// sends the browser back with a signed result), with the merchant id and the secret of
    /// CAISSE_PAYMENT_PROVIDER_MERCHANT_ID and CAISSE_PAYMENT_PROVIDER_SECRET. For
    /// development and tests only: it charges nothing.
    PaymentEmulator {
        /// Address and port to listen on.
        #[arg(long, default_value = "127.0.0.1:8090")]
        listen: std::net::SocketAddr,
    },
}

/// `caisse admin debts …`
#[derive(Debug, Subcommand)]
pub enum DebtsCommand {
    /// Record a bank transfer paying a member's debt, read on the fund's bank statement: it is
    /// matched by the creditor reference the member quoted (RF…), lowers the debt's balance
    /// and settles it when nothing is left. The same bank transaction id again changes nothing.
    RecordTransfer {
        /// Fund code, e.g. 781.
        #[arg(long)]
        caisse: String,
        /// The creditor reference quoted by the transfer, e.g. RF18 5390 0754 7034.
        #[arg(long)]
        reference: String,
        /// The amount received, in cents (1900 for 19,00 €).
        #[arg(long)]
        amount_cents: i64,
        /// The day of the transfer, e.g. 2026-12-07.
        #[arg(long)]
        date: String,
        /// The bank's id of the transaction (what makes a second recording harmless).
        #[arg(long)]
        bank_transaction_id: String,
    },
}

/// `caisse config …`
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Check the configuration (defaults, --config file, environment) and print the effective
    /// value of every key, secrets masked, with where it came from. Touches no database;
    /// exits with status 2 and the one-line error when a value is refused.
    Check,
}

/// Options of `serve` and `demo`.
#[derive(Debug, Args)]
pub struct ServeOptions {
    /// Do not run the background workers in this process.
    #[arg(long)]
    pub no_workers: bool,
    /// Do not apply migrations at start-up (run `caisse migrate` before rolling out instead).
    #[arg(long)]
    pub no_migrate: bool,
}

/// Options of `worker`.
#[derive(Debug, Args)]
pub struct WorkerOptions {
    /// Do not apply migrations at start-up.
    #[arg(long)]
    pub no_migrate: bool,
}

/// Operator commands.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Back-office accounts.
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Back-office teams: which objets each handles, who works in them.
    #[command(subcommand)]
    Team(TeamCommand),
    /// Load the member file (insured persons and their ayants droit) from a CSV file:
    /// all rows or none. See docs/member-import.md for the columns and the rules.
    ImportMembers {
        /// CSV file, UTF-8, header row, `;` or `,` separated.
        file: PathBuf,
    },
    /// Claims reference data (tariffs, rates, régime local, deductions, IJ figures): see
    /// docs/claims-rules.md.
    #[command(subcommand)]
    Reference(ReferenceCommand),
    /// Keys of the professionals and establishments that send lots of care sheets.
    #[command(subcommand)]
    ClaimSender(ClaimSenderCommand),
    /// Import a lot of care sheets (JSON Lines or CSV, see docs/claims-format.md): a
    /// malformed file is refused whole with its line numbers; otherwise the acknowledgement
    /// is printed (accepted sheets, rejected sheets with their reason).
    ImportClaims {
        /// The lot file.
        file: PathBuf,
        /// The fund the lot is sent to, e.g. 781; its sender must hold a live key there.
        #[arg(long)]
        caisse: String,
    },
    /// Import a file of arrêts de travail with their attestations de salaire (JSON Lines or
    /// CSV, see docs/claims-format.md): a malformed file is refused whole with its line
    /// numbers; otherwise each arrêt is stored with its schedule of indemnités journalières,
    /// and the arrêts accepted, already received and rejected (with their reason) are printed.
    ImportArrets {
        /// The file of arrêts.
        file: PathBuf,
        /// The fund the arrêts are sent to, e.g. 781.
        #[arg(long)]
        caisse: String,
    },
    /// The claims engine's work: liquidate received sheets and pay liquidated ones now,
    /// until nothing is left (the worker of `caisse serve` and `caisse worker` does the
    /// same every few seconds).
    #[command(subcommand)]
    Claims(ClaimsCommand),
    /// Payments of the claims engine.
    #[command(subcommand)]
    Payments(PaymentsCommand),
    /// Members' debts (« sommes à payer »).
    #[command(subcommand)]
    Debts(DebtsCommand),
    /// Print a new attestation signing key, `id:SEED`, to put first in
    /// CAISSE_ATTESTATION_SIGNING_KEYS (keep the previous key after it until the attestations
    /// it signed have expired). Touches no database.
    AttestationKey {
        /// Key id, 1 to 16 of a–z, 0–9 and '-', e.g. 2026-a.
        #[arg(long)]
        id: String,
    },
}

/// `caisse admin staff …`
#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Create a staff account. The password is read from standard input with
    /// --password-stdin; otherwise a random one is generated and printed once.
    Create {
        /// Login (a–z, 0–9, '.', '-', '_').
        #[arg(long)]
        login: String,
        /// Name shown in the back office.
        #[arg(long)]
        name: String,
        /// conseiller, superviseur or administrateur.
        #[arg(long)]
        role: String,
        /// Fund code, e.g. 751 (see /api/v1/caisses).
        #[arg(long)]
        caisse: String,
        /// Work email.
        #[arg(long)]
        email: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// Code of a team of the fund to put the account in (repeat for several).
        #[arg(long = "team")]
        teams: Vec<String>,
    },
    /// List staff accounts.
    List,
    /// Forbid a staff account to log in (its sessions end at their next request).
    Disable {
        /// Login.
        #[arg(long)]
        login: String,
    },
    /// Allow a disabled staff account to log in again.
    Enable {
        /// Login.
        #[arg(long)]
        login: String,
    },
    /// Forget the TOTP secret of a staff account (lost or replaced phone): its owner
    /// configures a new authenticator app at their next login.
    ResetTotp {
        /// Login.
        #[arg(long)]
        login: String,
    },
}

/// `caisse admin team …`
#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Create a team of a fund and route objets to it (an objet goes to at most one team of
    /// a fund; messages about objets no team handles wait at « Accueil (non routé) »).
    Create {
        /// Fund code, e.g. 781.
        #[arg(long)]
        caisse: String,
        /// Code, unique in the fund (2–32 characters: a–z, 0–9, '-', '_').
        #[arg(long)]
        code: String,
        /// French name shown in the back office.
        #[arg(long)]
        name: String,
        /// Code of an objet the team handles (repeat for several), e.g.
        /// remboursement.question.
        #[arg(long = "objet")]
        objets: Vec<String>,
    },
    /// List teams with their objets and staff.
    List {
        /// Only this fund's teams.
        #[arg(long)]
        caisse: Option<String>,
    },
    /// Put a staff account in a team of its fund.
    AddStaff {
        /// Team code.
        #[arg(long)]
        team: String,
        /// Staff login.
        #[arg(long)]
        login: String,
    },
    /// Take a staff account out of a team of its fund.
    RemoveStaff {
        /// Team code.
        #[arg(long)]
        team: String,
        /// Staff login.
        #[arg(long)]
        login: String,
    },
}

/// `caisse admin claim-sender …`
#[derive(Debug, Subcommand)]
pub enum ClaimSenderCommand {
    /// Make a key for a sender to send lots to a fund (`POST /api/v1/claims/lots`). The key
    /// is printed once; only its digest is kept.
    Add {
        #[command(flatten)]
        sender: SenderArgs,
        /// Name printed on its payments.
        #[arg(long)]
        name: String,
        /// Where its tiers-payant payments go.
        #[arg(long)]
        iban: String,
    },
    /// Revoke every live key of a sender in a fund (its lots and payments stay).
    Revoke {
        #[command(flatten)]
        sender: SenderArgs,
    },
    /// List the keys of a fund.
    List {
        /// Fund code.
        #[arg(long)]
        caisse: String,
    },
}

/// A sender in a fund, as the `claim-sender` commands name it.
#[derive(Debug, Args)]
pub struct SenderArgs {
    /// Fund code, e.g. 781.
    #[arg(long)]
    pub caisse: String,
    /// rpps, adeli or finess.
    #[arg(long = "type")]
    pub kind: String,
    /// The RPPS (11 digits), ADELI (9 digits) or FINESS (9 characters) number.
    #[arg(long)]
    pub number: String,
}

/// `caisse admin claims …`
#[derive(Debug, Subcommand)]
pub enum ClaimsCommand {
    /// Liquidate every received sheet and pay every liquidated one, then print the counts.
    Run,
    /// How many sheets are in each state.
    Status,
}

/// `caisse admin payments …`
#[derive(Debug, Subcommand)]
pub enum PaymentsCommand {
    /// Write the SEPA credit-transfer file (pain.001.001.09) of a fund's payments of a day,
    /// and mark them exported. A day already exported is refused unless --again.
    Export {
        /// Fund code, e.g. 781.
        #[arg(long)]
        caisse: String,
        /// The payment day, e.g. 2026-12-07.
        #[arg(long)]
        day: String,
        /// The fund's account debited.
        #[arg(long)]
        iban: String,
        /// Its bank's BIC.
        #[arg(long)]
        bic: String,
        /// The file to write (created; an existing file is refused).
        #[arg(long)]
        output: PathBuf,
        /// Write the day's payments again, including those already exported (a new message
        /// id: the bank must not be given both files).
        #[arg(long)]
        again: bool,
    },
}

/// `caisse admin reference …`
#[derive(Debug, Subcommand)]
pub enum ReferenceCommand {
    /// Replace the reference data in force with the five CSV files of a directory
    /// (tariffs.csv, rates.csv, regime_local.csv, deductions.csv, ij.csv): all of them or
    /// nothing.
    Load {
        /// Directory of the files.
        #[arg(default_value = "reference")]
        dir: PathBuf,
    },
    /// Show the reference data in force: the last load, rows and dates per table.
    Show,
}
