//! A member's FranceConnect links, as « Mes connexions » lists them, and their removal.

use caisse_domain::{AuditAction, Instant};
use caisse_store::{TransactionTrait, members, oidc as store};
use serde_json::json;
use uuid::Uuid;

use super::{FranceConnect, fc_mails};
use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};
use crate::mails;

/// A link as « Mes connexions » shows it.
#[derive(Clone, Debug)]
pub struct FcLinkView {
    /// Id.
    pub id: Uuid,
    /// When it was made.
    pub linked_at: Instant,
    /// The latest login through it.
    pub last_login_at: Instant,
}

impl FranceConnect {
    /// The member's FranceConnect links.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn links(&self, member_id: Uuid) -> Result<Vec<FcLinkView>, CoreError> {
        Ok(store::links_of_member(&self.relying.db, member_id)
            .await?
            .into_iter()
            .map(|link| FcLinkView {
                id: link.id,
                linked_at: link.linked_at,
                last_login_at: link.last_login_at,
            })
            .collect())
    }

    /// Removes one of the member's links; returns whether it existed.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "franceconnect.unlink", skip_all, fields(%member_id))]
    pub async fn unlink(
        &self,
        member_id: Uuid,
        link_id: Uuid,
        context: &RequestContext,
    ) -> Result<bool, CoreError> {
        let member = members::find(&self.relying.db, member_id)
            .await?
            .ok_or(caisse_store::StoreError::NotFound("member"))?;
        let now = self.relying.clock.instant();
        let txn = self.relying.db.begin().await?;
        if !store::delete_link(&txn, member_id, link_id).await? {
            return Ok(false);
        }
        audit::record(
            &txn,
            context,
            Actor::Member(member_id),
            AuditAction::MemberFranceconnectUnlinked,
            Some(("member", member_id)),
            json!({}),
            now,
        )
        .await?;
        if let Some(email) = &member.email {
            self.security_mail(
                &txn,
                &member,
                email,
                mails::mail(&fc_mails::FranceConnectUnlinked {
                    first_name: &member.first_name,
                })?,
                now,
            )
            .await?;
        }
        txn.commit().await?;
        Ok(true)
    }
}
