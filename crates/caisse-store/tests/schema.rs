//! The migrated schema against the entities, and the migrations both ways, on SQLite and on
//! PostgreSQL (`TEST_DATABASE_URL`).

use std::collections::BTreeMap;

use caisse_store::entities::*;
use caisse_store::{ConnectionTrait, Migrator, run_migrations};
use caisse_test_support::TestDb;
use sea_orm::{ColumnTrait, DbBackend};
use sea_orm::{EntityTrait, IdenStatic, Iterable, Statement};
use sea_orm_migration::MigratorTrait;

/// Column name → nullable, per table.
type Schema = BTreeMap<String, BTreeMap<String, bool>>;

fn columns_of<E: EntityTrait>(schema: &mut Schema) {
    let table = E::default().table_name().to_owned();
    let columns = E::Column::iter()
        .map(|column| (column.as_str().to_owned(), column.def().is_null()))
        .collect();
    assert!(
        schema.insert(table.clone(), columns).is_none(),
        "two entities map table {table}"
    );
}

/// What the entities declare, and the names of their modules.
fn entities() -> Schema {
    entities_and_modules().0
}

fn entities_and_modules() -> (Schema, Vec<&'static str>) {
    let mut schema = Schema::new();
    let mut modules = Vec::new();
    macro_rules! each {
        ($($entity:ident),* $(,)?) => {
            $(
                columns_of::<$entity::Entity>(&mut schema);
                modules.push(stringify!($entity));
            )*
        };
    }
    each!(
        account,
        account_link,
        agenda_absence,
        agenda_closure,
        agenda_hour,
        agenda_motif,
        agenda_site,
        agenda_waiting,
        api_token,
        appointment,
        arret,
        attachment_draft,
        attestation,
        audit_event,
        bank_change,
        beneficiary,
        c2s_period,
        canned_answer,
        card_order,
        care_line,
        care_sheet,
        claim_lot,
        claim_sender,
        cluster_job,
        contact_code,
        coverage_period,
        debt_card_order,
        debt_payment,
        debt_recovery,
        declared_doctor,
        deduction_counter,
        dossier,
        dossier_event,
        dossier_piece,
        exemption,
        faq_entry,
        faq_fund,
        faq_version,
        fc_link,
        fc_pending_link,
        forum_answer,
        forum_question,
        help_feedback,
        help_query,
        ij_payment,
        line_correction,
        login_challenge,
        login_throttle,
        mediation_referral,
        member,
        member_debt,
        member_quota,
        message,
        message_attachment,
        message_thread,
        oidc_request,
        oidc_session,
        outbox_message,
        password_reset,
        payment,
        postal_letter,
        procuration,
        provisional_code,
        rate_counter,
        reference_deduction,
        reference_ij,
        reference_ij_at_mp,
        reference_ij_charge,
        reference_ij_maternite,
        reference_load,
        reference_rate,
        reference_regime_local,
        reference_tariff,
        security_alert,
        sender_debt,
        session,
        staff,
        staff_login_challenge,
        team,
        team_member,
        team_objet,
        trusted_device,
    );
    (schema, modules)
}

#[test]
fn every_entity_module_is_checked() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/entities");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|entry| entry.unwrap().file_name().into_string().ok())
        .filter_map(|name| name.strip_suffix(".rs").map(str::to_owned))
        .filter(|name| name != "mod")
        .collect();
    files.sort();
    let mut checked: Vec<String> = entities_and_modules()
        .1
        .into_iter()
        .map(str::to_owned)
        .collect();
    checked.sort();
    assert_eq!(files, checked, "add the new entity to `each!` in this file");
}

/// What the migrated database holds (the migrations' bookkeeping table aside).
async fn database(db: &impl ConnectionTrait) -> Schema {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Sqlite => {
            "SELECT m.name AS table_name, c.name AS column_name, c.\"notnull\" = 0 AS nullable \
             FROM sqlite_master m JOIN pragma_table_info(m.name) c \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"
        }
        _ => {
            "SELECT table_name::text AS table_name, column_name::text AS column_name, \
             is_nullable = 'YES' AS nullable \
             FROM information_schema.columns WHERE table_schema = current_schema()"
        }
    };
    let mut schema = Schema::new();
    for row in db
        .query_all_raw(Statement::from_string(backend, sql))
        .await
        .expect("read the catalogue")
    {
        let table: String = row.try_get("", "table_name").expect("table_name");
        if table == "seaql_migrations" {
            continue;
        }
        let column: String = row.try_get("", "column_name").expect("column_name");
        let nullable: bool = row.try_get("", "nullable").expect("nullable");
        schema.entry(table).or_default().insert(column, nullable);
    }
    schema
}

/// Every difference, worded for a reader: a missing table or column, or a nullability that
/// the entity declares otherwise.
/// A month of a partitioned table (`care_sheets_2026_12`, `audit_events_2027_01`) or a log's
/// default partition (`outbox_default`): its columns are its parent's.
fn is_partition(table: &str) -> bool {
    caisse_store::claims::partitions::PARTITIONED
        .iter()
        .chain(
            caisse_store::log_partitions::PARTITIONED
                .iter()
                .map(|p| &p.table),
        )
        .any(|parent| {
            table
                .strip_prefix(parent)
                .is_some_and(|rest| rest == "_default")
        })
        || caisse_store::claims::partitions::PARTITIONED
            .iter()
            .chain(
                caisse_store::log_partitions::PARTITIONED
                    .iter()
                    .map(|p| &p.table),
            )
            .any(|parent| {
                table
                    .strip_prefix(parent)
                    .and_then(|rest| rest.strip_prefix('_'))
                    .is_some_and(|month| {
                        month.len() == 7
                            && month.bytes().enumerate().all(|(i, b)| {
                                if i == 4 {
                                    b == b'_'
                                } else {
                                    b.is_ascii_digit()
                                }
                            })
                    })
            })
}

fn drift(entities: &Schema, database: &Schema) -> Vec<String> {
    let mut problems = Vec::new();
    for (table, columns) in entities {
        let Some(actual) = database.get(table) else {
            problems.push(format!(
                "table {table}: in the entities, not in the database"
            ));
            continue;
        };
        for (column, nullable) in columns {
            match actual.get(column) {
                None => problems.push(format!("{table}.{column}: no such column")),
                Some(actual) if actual != nullable => problems.push(format!(
                    "{table}.{column}: entity nullable={nullable}, database nullable={actual}"
                )),
                Some(_) => {}
            }
        }
        for column in actual.keys().filter(|c| !columns.contains_key(*c)) {
            problems.push(format!(
                "{table}.{column}: in the database, not in the entity"
            ));
        }
    }
    for table in database
        .keys()
        .filter(|t| !entities.contains_key(*t) && !is_partition(t))
    {
        problems.push(format!("table {table}: in the database, no entity"));
    }
    problems
}

#[tokio::test]
async fn the_migrated_schema_matches_the_entities() {
    let t = TestDb::new().await;
    let problems = drift(&entities(), &database(&t.db).await);
    assert!(
        problems.is_empty(),
        "schema drift:\n{}",
        problems.join("\n")
    );
}

#[tokio::test]
async fn the_drift_check_sees_a_column_the_entities_do_not_know() {
    let t = TestDb::new().await;
    t.db.execute_unprepared("ALTER TABLE staff ADD COLUMN stray_column INTEGER")
        .await
        .unwrap();
    let problems = drift(&entities(), &database(&t.db).await);
    assert_eq!(
        problems,
        ["staff.stray_column: in the database, not in the entity"]
    );
}

#[tokio::test]
async fn every_migration_goes_down_and_up_again() {
    let t = TestDb::empty().await;
    run_migrations(&t.db).await.unwrap();
    let migrated = database(&t.db).await;
    Migrator::down(&t.db, None)
        .await
        .expect("every migration reverts");
    let reverted = database(&t.db).await;
    assert!(
        reverted.is_empty(),
        "tables left after reverting every migration: {:?}",
        reverted.keys().collect::<Vec<_>>()
    );
    run_migrations(&t.db).await.expect("migrations apply again");
    assert_eq!(database(&t.db).await, migrated);
    // And the last one alone, as a rollback of one release does.
    Migrator::down(&t.db, Some(1))
        .await
        .expect("the last migration reverts");
    run_migrations(&t.db).await.expect("and applies again");
    assert_eq!(database(&t.db).await, migrated);
}

#[tokio::test]
async fn nodes_starting_together_migrate_once() {
    let t = TestDb::empty().await;
    let total = Migrator::get_pending_migrations(&t.db).await.unwrap().len();
    // SQLite is one node: one process migrates it. On PostgreSQL, three nodes start at once.
    let nodes = if t.db.get_database_backend() == sea_orm::DbBackend::Postgres {
        3
    } else {
        1
    };
    let runs = (0..nodes).map(|_| {
        let db = t.db.clone();
        tokio::spawn(async move { run_migrations(&db).await })
    });
    let mut applied = 0;
    for run in runs {
        applied += run.await.unwrap().expect("every node starts");
    }
    assert_eq!(applied, total, "each migration applied once");
    assert!(
        Migrator::get_pending_migrations(&t.db)
            .await
            .unwrap()
            .is_empty()
    );
}

/// The tables whose rows are one member's: each carries `member_id`, the key a distributed
/// PostgreSQL (Citus) would shard them by, colocated with `members` (sharded by `id`), so a
/// member's pages read one shard (`docs/capacity.md`).
const MEMBER_OWNED: &[&str] = &[
    "account_links",
    "accounts",
    "agenda_waiting",
    "api_tokens",
    "appointments",
    "arrets",
    "attachment_drafts",
    "attestations",
    "bank_changes",
    "beneficiaries",
    "c2s_periods",
    "card_orders",
    "care_lines",
    "care_sheets",
    "contact_codes",
    "coverage_periods",
    "debt_card_orders",
    "debt_payments",
    "debt_recoveries",
    "declared_doctors",
    "deduction_counters",
    "dossier_events",
    "dossier_pieces",
    "dossiers",
    "exemptions",
    "fc_links",
    "fc_pending_links",
    "forum_questions",
    "ij_payments",
    "line_corrections",
    "login_challenges",
    "mediation_referrals",
    "member_debts",
    "member_quotas",
    "message_attachments",
    "message_threads",
    "messages",
    "password_resets",
    "postal_letters",
    "procurations",
    "provisional_codes",
    "security_alerts",
    "trusted_devices",
];

/// The other tables, and why they are not sharded by member.
const NOT_MEMBER_OWNED: &[(&str, &str)] = &[
    ("members", "sharded by its own id"),
    (
        "agenda_absences",
        "a fund's configuration: a reference table",
    ),
    (
        "agenda_closures",
        "a fund's configuration: a reference table",
    ),
    ("agenda_hours", "a fund's configuration: a reference table"),
    ("agenda_motifs", "a fund's configuration: a reference table"),
    ("agenda_sites", "a fund's configuration: a reference table"),
    (
        "audit_events",
        "an append-only log of members and staff: by its own id",
    ),
    (
        "canned_answers",
        "a fund's configuration: a reference table",
    ),
    (
        "claim_lots",
        "a professional's lot of many members: by its own id",
    ),
    ("claim_senders", "professionals: a reference table"),
    (
        "cluster_jobs",
        "the cluster's bookkeeping: on the coordinator",
    ),
    ("faq_entries", "a fund's help: a reference table"),
    ("faq_funds", "a fund's help: a reference table"),
    ("faq_versions", "a fund's help: a reference table"),
    (
        "forum_answers",
        "the fund's answers, read by anyone: by question",
    ),
    ("help_feedback", "anonymous: by its own id"),
    ("help_queries", "anonymous: by its own id"),
    (
        "login_throttles",
        "keyed by a digest of what was typed, not a member",
    ),
    (
        "oidc_requests",
        "a browser's request before anyone is known",
    ),
    ("oidc_sessions", "keyed by a session digest"),
    ("outbox", "a queue of mails and SMS: by its own id"),
    (
        "payments",
        "a payee's: a member, or a professional or an employer paid for many members",
    ),
    ("rate_counters", "keyed by client address"),
    ("reference_deductions", "dated reference data"),
    ("reference_ij", "dated reference data"),
    ("reference_ij_at_mp", "dated reference data"),
    ("reference_ij_charges", "dated reference data"),
    ("reference_ij_maternite", "dated reference data"),
    ("reference_loads", "dated reference data"),
    ("reference_rates", "dated reference data"),
    ("reference_regime_local", "dated reference data"),
    ("reference_tariffs", "dated reference data"),
    ("sender_debts", "what professionals owe: by sender"),
    ("sessions", "members' and staff's: keyed by a digest"),
    ("staff", "a fund's staff: a reference table"),
    (
        "staff_login_challenges",
        "staff: a reference table's companion",
    ),
    ("team_members", "a fund's configuration: a reference table"),
    ("team_objets", "a fund's configuration: a reference table"),
    ("teams", "a fund's configuration: a reference table"),
];

#[tokio::test]
async fn every_member_owned_table_carries_the_member_key() {
    let t = TestDb::new().await;
    let schema = database(&t.db).await;
    let mut unclassified = Vec::new();
    let mut without_key = Vec::new();
    for (table, columns) in &schema {
        if is_partition(table) {
            continue;
        }
        if MEMBER_OWNED.contains(&table.as_str()) {
            if columns.get("member_id") != Some(&false) {
                without_key.push(table.clone());
            }
        } else if !NOT_MEMBER_OWNED.iter().any(|(name, _)| name == table) {
            unclassified.push(table.clone());
        }
    }
    assert_eq!(
        unclassified,
        Vec::<String>::new(),
        "a new table: add it to MEMBER_OWNED (with a NOT NULL member_id) or to NOT_MEMBER_OWNED with why"
    );
    assert_eq!(
        without_key,
        Vec::<String>::new(),
        "member-owned tables without a NOT NULL member_id"
    );
    let listed = MEMBER_OWNED
        .iter()
        .copied()
        .chain(NOT_MEMBER_OWNED.iter().map(|(name, _)| *name));
    for table in listed {
        assert!(
            schema.contains_key(table),
            "{table} is listed but does not exist"
        );
    }
}
