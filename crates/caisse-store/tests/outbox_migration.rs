//! Migration `m0012` on a database holding the outbox of the releases before it: each message
//! gets the fund of the one member or staff member it was sent to, and no body keeps a link or
//! a code in clear (delivered ones are erased, waiting ones set aside to be sealed at startup).
//! Runs on SQLite, and on PostgreSQL with `TEST_DATABASE_URL`.

use caisse_store::outbox::{self, LEGACY_BODY_PREFIX, Status};
use caisse_store::{ConnectionTrait, Migrator, now_utc};
use caisse_test_support::TestDb;
use sea_orm::sea_query::{Alias, Query, SimpleExpr};
use sea_orm_migration::MigratorTrait;
use uuid::Uuid;

/// The migrations before `m0012`.
const BEFORE: u32 = 11;

async fn insert(db: &caisse_store::Db, table: &str, row: &[(&str, SimpleExpr)]) {
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new(table))
        .columns(row.iter().map(|(column, _)| Alias::new(*column)))
        .values_panic(row.iter().map(|(_, value)| value.clone()));
    db.execute(&insert).await.expect("insert");
}

async fn member(db: &caisse_store::Db, nir: &str, caisse: &str, email: &str, phone: &str) {
    let now = now_utc();
    insert(
        db,
        "members",
        &[
            ("id", Uuid::now_v7().into()),
            ("nir", nir.into()),
            ("last_name", "TEST".into()),
            ("first_name", "Alex".into()),
            ("birth_date", time::macros::date!(1985 - 05 - 14).into()),
            ("sex", "1".into()),
            ("caisse_code", caisse.into()),
            ("address_line1", "1 rue Haute".into()),
            ("postal_code", "78000".into()),
            ("city", "VERSAILLES".into()),
            ("email", email.into()),
            ("phone", phone.into()),
            ("created_at", now.into()),
            ("updated_at", now.into()),
        ],
    )
    .await;
}

/// A message as the releases before `m0012` wrote it; returns its id.
async fn message(
    db: &caisse_store::Db,
    channel: &str,
    recipient: &str,
    status: &str,
    body: &str,
) -> Uuid {
    let id = Uuid::now_v7();
    let now = now_utc();
    insert(
        db,
        "outbox",
        &[
            ("id", id.into()),
            ("channel", channel.into()),
            ("recipient", recipient.into()),
            ("subject", "Objet".into()),
            ("body_text", body.into()),
            ("status", status.into()),
            ("attempts", 0.into()),
            ("next_attempt_at", now.into()),
            ("created_at", now.into()),
        ],
    )
    .await;
    id
}

#[tokio::test]
async fn the_outbox_gets_its_funds_and_loses_its_clear_secrets() {
    let t = TestDb::empty().await;
    let db = &t.db;
    Migrator::up(db, Some(BEFORE))
        .await
        .expect("migrations before m0012");
    member(
        db,
        "185057800608491",
        "781",
        "julien@exemple.fr",
        "+33612345678",
    )
    .await;
    member(
        db,
        "282126748202355",
        "671",
        "sophie@exemple.fr",
        "+33698765432",
    )
    .await;
    // The same address in two funds: no fund can claim the message.
    member(
        db,
        "193122A00412317",
        "2A1",
        "famille@exemple.fr",
        "+33600000001",
    )
    .await;
    member(
        db,
        "293122A00412345",
        "781",
        "famille@exemple.fr",
        "+33600000002",
    )
    .await;
    let now = now_utc();
    insert(
        db,
        "staff",
        &[
            ("id", Uuid::now_v7().into()),
            ("login", "agent".into()),
            ("display_name", "Agent".into()),
            ("email", "agent@caisse.fr".into()),
            ("role", "conseiller".into()),
            ("caisse_code", "671".into()),
            ("password_hash", "x".into()),
            ("active", true.into()),
            ("created_at", now.into()),
        ],
    )
    .await;
    let link = "Ouvrez ce lien : http://127.0.0.1:8080/mot-de-passe-oublie/SECRET-TOKEN";
    let sent = message(db, "email", "julien@exemple.fr", "sent", link).await;
    let waiting = message(db, "sms", "+33698765432", "pending", "Votre code : 123456").await;
    let retained = message(db, "email", "agent@caisse.fr", "retained", link).await;
    let failed = message(db, "email", "famille@exemple.fr", "failed", link).await;
    let stranger = message(db, "email", "inconnu@exemple.fr", "sent", "Bonjour").await;

    Migrator::up(db, None).await.expect("m0012");
    let row = async |id| outbox::get(db, id).await.unwrap().unwrap();

    let sent = row(sent).await;
    assert_eq!(sent.caisse_code.map(|c| c.as_str()), Some("781"));
    assert!(!sent.body_text.contains("SECRET-TOKEN"));
    assert!(sent.body_text.starts_with("[Contenu effacé"));
    assert_eq!(sent.sealed_body, None);

    let waiting = row(waiting).await;
    assert_eq!(
        waiting.caisse_code.map(|c| c.as_str()),
        Some("671"),
        "by mobile number"
    );
    assert_eq!(waiting.status, Status::Pending);
    assert!(waiting.body_text.starts_with("[Contenu masqué"));
    assert_eq!(
        waiting.sealed_body,
        Some(format!("{LEGACY_BODY_PREFIX}Votre code : 123456")),
        "set aside, to be sealed at startup"
    );

    let retained = row(retained).await;
    assert_eq!(
        retained.caisse_code.map(|c| c.as_str()),
        Some("671"),
        "a staff member's"
    );
    assert_eq!(
        retained.status,
        Status::Failed,
        "no transport retains any more"
    );
    assert!(retained.last_error.unwrap().contains("relancez-le"));
    assert!(!retained.body_text.contains("SECRET-TOKEN"));
    assert_eq!(
        retained.sealed_body,
        Some(format!("{LEGACY_BODY_PREFIX}{link}"))
    );

    let failed = row(failed).await;
    assert_eq!(failed.caisse_code, None, "an address of two funds");
    assert!(!failed.body_text.contains("SECRET-TOKEN"));
    assert_eq!(row(stranger).await.caisse_code, None);

    let legacy = outbox::legacy_bodies(db, 10).await.unwrap();
    assert_eq!(
        legacy.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        [waiting.id, retained.id, failed.id]
    );
}
