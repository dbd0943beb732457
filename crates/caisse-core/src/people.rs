//! Who a session belongs to, and what a member reads of their own file: the lookups every page
//! needs, over one database handle so the web layer holds none.

use std::fmt;

use caisse_domain::CaisseCode;
use caisse_store::Db;
use caisse_store::sessions::SubjectKind;
use uuid::Uuid;

use crate::CoreError;
use crate::members::{self, MemberOverview, SecurityEvent};
use crate::sessions::ActiveSession;
use crate::staff::{self, StaffProfile};

/// The owner of a live session, as pages name them.
#[derive(Clone)]
pub enum Person {
    /// An insured member.
    Member {
        /// Member id.
        id: Uuid,
        /// First name and (usage or birth) last name.
        display_name: String,
    },
    /// An active back-office user.
    Staff(StaffProfile),
}

impl fmt::Debug for Person {
    /// Ids only: a name is personal data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Person::Member { id, .. } => f.debug_struct("Member").field("id", id).finish(),
            Person::Staff(profile) => f.debug_tuple("Staff").field(profile).finish(),
        }
    }
}

/// Member and staff lookups.
#[derive(Clone)]
pub struct People {
    db: Db,
}

impl People {
    /// Lookups in this database.
    pub fn new(db: Db) -> People {
        People { db }
    }

    /// Who owns this session: none when the member file is gone or the staff account is
    /// disabled.
    ///
    /// # Errors
    /// When the database fails or a stored staff role is unknown.
    #[tracing::instrument(
        name = "people.identify",
        skip_all,
        fields(kind = ?session.kind, subject_id = %session.subject_id)
    )]
    pub async fn identify(&self, session: &ActiveSession) -> Result<Option<Person>, CoreError> {
        Ok(match session.kind {
            SubjectKind::Member => caisse_store::members::find(&self.db, session.subject_id)
                .await?
                .map(|m| Person::Member {
                    id: m.id,
                    display_name: format!(
                        "{} {}",
                        m.first_name,
                        m.usage_name.unwrap_or(m.last_name)
                    ),
                }),
            SubjectKind::Staff => staff::profile(&self.db, session.subject_id)
                .await?
                .filter(|p| p.active)
                .map(Person::Staff),
        })
    }

    /// A member's own file.
    ///
    /// # Errors
    /// When the database fails or the stored NIR or fund code no longer parses.
    #[tracing::instrument(name = "people.member_overview", skip_all, fields(%member_id))]
    pub async fn member_overview(
        &self,
        member_id: Uuid,
    ) -> Result<Option<MemberOverview>, CoreError> {
        members::overview(&self.db, member_id).await
    }

    /// The latest security events about a member, newest first.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(
        name = "people.security_history",
        skip_all,
        fields(%member_id, limit = limit)
    )]
    pub async fn security_history(
        &self,
        member_id: Uuid,
        limit: u64,
    ) -> Result<Vec<SecurityEvent>, CoreError> {
        members::security_history(&self.db, member_id, limit).await
    }

    /// The fund of a member; none when the member is unknown or the stored code no longer
    /// parses.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "people.member_fund", skip_all, fields(%member_id))]
    pub async fn member_fund(&self, member_id: Uuid) -> Result<Option<CaisseCode>, CoreError> {
        Ok(caisse_store::members::find(&self.db, member_id)
            .await?
            .map(|m| m.caisse_code))
    }
}

#[cfg(test)]
mod tests {
    use caisse_test_support::TestDb;

    use super::*;

    #[tokio::test]
    async fn a_session_names_its_member_and_debug_shows_only_the_id() {
        let db = TestDb::new().await;
        let member_id = caisse_store::members::insert(
            &db.db,
            caisse_test_support::fixtures::new_member("185057800608491", "781", None),
            Vec::new(),
            caisse_store::now_utc(),
        )
        .await
        .unwrap();
        let session = ActiveSession {
            token_hash: String::new(),
            kind: SubjectKind::Member,
            subject_id: member_id,
        };
        let people = People::new(db.db.clone());
        let person = people.identify(&session).await.unwrap().unwrap();
        let Person::Member { id, display_name } = &person else {
            panic!("a member: {person:?}");
        };
        assert_eq!((*id, display_name.as_str()), (member_id, "Alex TEST"));
        let debug = format!("{person:?}");
        assert!(
            debug.contains(&member_id.to_string()) && !debug.contains("Alex"),
            "{debug}"
        );
        assert_eq!(
            people
                .member_fund(member_id)
                .await
                .unwrap()
                .unwrap()
                .as_str(),
            "781"
        );
        assert!(people.member_fund(Uuid::now_v7()).await.unwrap().is_none());
        let unknown = ActiveSession {
            subject_id: Uuid::now_v7(),
            ..session
        };
        assert!(people.identify(&unknown).await.unwrap().is_none());
    }
}
