//! The outbox per fund, with no secret readable at rest.
//!
//! - `caisse_code`: the fund a message concerns, so a fund's administrators read only their
//!   fund's messages. Existing rows take the fund of the one member (by email address or
//!   mobile number) or staff member (by email address) they were sent to; a recipient matching
//!   several funds, or none, leaves `NULL`, which no fund's staff sees.
//! - `sealed_body`: the body to deliver of a message carrying a secret, sealed until it is
//!   delivered; `body_text` keeps only what may be shown.
//!
//! Bodies written before this migration hold their links and codes in clear. Those already
//! delivered are erased. Those not delivered yet (waiting, failed, or retained by the former
//! development transport, which becomes failed) move to `sealed_body` behind the `plain:`
//! prefix and their `body_text` becomes a notice; the server seals them at startup
//! (`caisse_core::outbox::seal_legacy_bodies`), since the key is not the database's to know.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0012_outbox_funds_and_sealed_bodies"
    }
}

#[derive(Clone, Copy, DeriveIden)]
enum Outbox {
    Table,
    Channel,
    Recipient,
    BodyText,
    Status,
    LastError,
    CreatedAt,
    CaisseCode,
    SealedBody,
}

#[derive(Clone, Copy, DeriveIden)]
enum Members {
    Table,
    CaisseCode,
    Email,
    Phone,
}

#[derive(Clone, Copy, DeriveIden)]
enum Staff {
    Table,
    CaisseCode,
    Email,
}

/// What an erased body of a delivered message says.
const SENT_NOTICE: &str = "[Contenu effacé : message envoyé avant le masquage des secrets de la \
                           boîte d'envoi.]";
/// What a body moved to `sealed_body` says.
const WAITING_NOTICE: &str = "[Contenu masqué : message enregistré avant le masquage des \
                              secrets de la boîte d'envoi ; il sera remis tel quel.]";
/// The error a message retained by the former development transport gets.
const RETAINED_ERROR: &str = "Retenu sans serveur d'envoi (ancien mode développement) : \
                              relancez-le pour l'envoyer.";

/// `UPDATE outbox SET caisse_code = <the one fund of the rows of table whose contact column
/// equals the recipient> WHERE channel = … AND caisse_code IS NULL`.
fn backfill(
    channel: &str,
    table: impl IntoIden + Copy + 'static,
    fund: impl IntoIden + Copy + 'static,
    contact: impl IntoIden + Copy + 'static,
) -> UpdateStatement {
    let fund_of = |t, c| Expr::col((t, c));
    let one_fund = Query::select()
        .expr(Expr::case(
            Func::count_distinct(fund_of(table, fund)).eq(1),
            Func::max(fund_of(table, fund)),
        ))
        .from(table)
        .and_where(Expr::col((table, contact)).equals((Outbox::Table, Outbox::Recipient)))
        .to_owned();
    Query::update()
        .table(Outbox::Table)
        .value(
            Outbox::CaisseCode,
            Expr::SubQuery(None, Box::new(one_fund.into())),
        )
        .and_where(Expr::col(Outbox::Channel).eq(channel))
        .and_where(Expr::col(Outbox::CaisseCode).is_null())
        .to_owned()
}

#[expect(
    elided_lifetimes_in_paths,
    reason = "the signature must match MigrationTrait's async_trait declaration"
)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE statement.
        for column in [
            string_len_null(Outbox::CaisseCode, 8),
            text_null(Outbox::SealedBody),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Outbox::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for statement in [
            backfill("email", Members::Table, Members::CaisseCode, Members::Email),
            backfill("sms", Members::Table, Members::CaisseCode, Members::Phone),
            backfill("email", Staff::Table, Staff::CaisseCode, Staff::Email),
        ] {
            manager.exec_stmt(statement).await?;
        }
        // In this order: the retained become failed, then every message not sent yet has its
        // body set aside.
        let set_aside = Expr::cust(r#"'plain:' || "body_text""#);
        for (statuses, values) in [
            (
                vec!["sent"],
                vec![(Outbox::BodyText, Expr::val(SENT_NOTICE))],
            ),
            (
                vec!["retained"],
                vec![
                    (Outbox::Status, Expr::val("failed")),
                    (Outbox::LastError, Expr::val(RETAINED_ERROR)),
                ],
            ),
            (
                vec!["pending", "failed"],
                // Standard SQL concatenation, the same on both databases; every right-hand
                // side reads the row as it was.
                vec![
                    (Outbox::SealedBody, set_aside),
                    (Outbox::BodyText, Expr::val(WAITING_NOTICE)),
                ],
            ),
        ] {
            manager
                .exec_stmt(
                    Query::update()
                        .table(Outbox::Table)
                        .values(values)
                        .and_where(Expr::col(Outbox::Status).is_in(statuses))
                        .to_owned(),
                )
                .await?;
        }
        for (name, columns) in [
            // A fund's administrators list its messages, newest first…
            (
                "ix_outbox_fund_created",
                [Outbox::CaisseCode, Outbox::CreatedAt],
            ),
            // …and count them by status.
            (
                "ix_outbox_fund_status",
                [Outbox::CaisseCode, Outbox::Status],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(Outbox::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in ["ix_outbox_fund_created", "ix_outbox_fund_status"] {
            manager
                .drop_index(Index::drop().name(name).table(Outbox::Table).to_owned())
                .await?;
        }
        for column in [Outbox::CaisseCode, Outbox::SealedBody] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Outbox::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
