//! The candidates of a staff member's search by name and birth date (`members::of_fund_born_on`,
//! issue 20): only the fund's members born that day, at most the limit asked, on the index
//! `m0036_member_search` creates. SQLite by default, PostgreSQL with `TEST_DATABASE_URL`.

use caisse_domain::{CaisseCode, Instant};
use caisse_store::ConnectionTrait;
use caisse_store::members::{self, NewMember};
use caisse_test_support::TestDb;
use caisse_test_support::fixtures::{new_member, next_nir};
use sea_orm::{DbBackend, Statement};
use time::macros::date;

fn now() -> Instant {
    Instant::new(time::OffsetDateTime::now_utc())
}

async fn insert(t: &TestDb, fund: &str, last_name: &str, birth_date: time::Date) -> uuid::Uuid {
    members::insert(
        &t.db,
        NewMember {
            last_name: last_name.to_owned(),
            birth_date,
            ..new_member(&next_nir(), fund, None)
        },
        vec![],
        now(),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn only_the_funds_members_born_that_day_are_candidates() {
    let t = TestDb::new().await;
    let day = date!(1985 - 05 - 14);
    let martin = insert(&t, "781", "MARTIN", day).await;
    let martinez = insert(&t, "781", "MARTINEZ", day).await;
    insert(&t, "781", "MARTIN", date!(1985 - 05 - 15)).await;
    insert(&t, "671", "MARTIN", day).await;
    let yvelines = CaisseCode::parse("781").unwrap();
    let found = members::of_fund_born_on(&t.db, &yvelines, day, 100)
        .await
        .unwrap();
    let mut ids: Vec<_> = found.iter().map(|m| m.id).collect();
    ids.sort();
    let mut expected = vec![martin, martinez];
    expected.sort();
    assert_eq!(ids, expected);
    assert!(
        found
            .iter()
            .all(|m| m.caisse_code == yvelines && m.birth_date == day)
    );
    let limited = members::of_fund_born_on(&t.db, &yvelines, day, 1)
        .await
        .unwrap();
    assert_eq!(limited.len(), 1);
    let nobody = members::of_fund_born_on(&t.db, &yvelines, date!(2001 - 01 - 01), 100)
        .await
        .unwrap();
    assert!(nobody.is_empty());
}

#[tokio::test]
async fn the_fund_and_birth_date_index_exists() {
    let t = TestDb::new().await;
    let backend = t.db.get_database_backend();
    let sql = match backend {
        DbBackend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'index' \
             AND name = 'ix_members_fund_birth_date' AND tbl_name = 'members'"
        }
        _ => {
            "SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() \
             AND indexname = 'ix_members_fund_birth_date' AND tablename = 'members'"
        }
    };
    let rows =
        t.db.query_all_raw(Statement::from_string(backend, sql))
            .await
            .unwrap();
    assert_eq!(rows.len(), 1, "ix_members_fund_birth_date on members");
}
