//! Booking for a member calling the phone line: the member is one of the advisor's fund, the
//! form offers the fund's motifs, branches and slots, and the booking is the member's own
//! (`book_as` with the advisor as actor: audited, the member mailed, `booked_by` set).

use caisse_domain::AuditAction;
use caisse_domain::agenda::Channel;
use caisse_store::members;
use caisse_store::staff::StaffMember;
use serde_json::json;
use time::{OffsetDateTime, PrimitiveDateTime};
use uuid::Uuid;

use super::staff::{StaffAgendaError, national, zone_of_fund};
use super::{Agenda, Appointment, BookingRequest};
use crate::audit::{self, Actor, RequestContext};

/// What the booking form offers for a member: their name, the fund's motifs and branches,
/// and the slots of the motif and channel chosen.
#[derive(Clone)]
pub struct BookingChoices {
    /// The member.
    pub member_id: Uuid,
    /// Their name.
    pub member_name: String,
    /// Their file's phone, formatted.
    pub member_phone: Option<String>,
    /// The motifs offered, with their channels.
    pub motifs: Vec<super::Motif>,
    /// The open branches.
    pub sites: Vec<super::Site>,
    /// The slots of the motif and channel chosen: (local start, start, branch).
    pub slots: Vec<(PrimitiveDateTime, OffsetDateTime, Option<Uuid>)>,
}

debug_fields!(BookingChoices { member_id });

impl Agenda {
    /// Member `member_id` of staff member `staff_id`'s fund.
    async fn fund_member(
        &self,
        me: &StaffMember,
        member_id: Uuid,
    ) -> Result<members::MemberRecord, StaffAgendaError> {
        members::find(&self.db, member_id)
            .await?
            .filter(|m| m.caisse_code == me.caisse_code)
            .ok_or(StaffAgendaError::NotFound)
    }

    /// What the booking form offers for member `member_id` (the slots of `motif` on
    /// `channel` at `site` when a motif is chosen); showing the member's name is audited.
    ///
    /// # Errors
    /// [`StaffAgendaError::NotFound`] for another fund's member; the slot search's refusals.
    pub async fn booking_choices(
        &self,
        staff_id: Uuid,
        member_id: Uuid,
        wanted: Option<(&str, Channel, Option<Uuid>)>,
        context: &RequestContext,
    ) -> Result<BookingChoices, StaffAgendaError> {
        let me = self.me(staff_id).await?;
        let member = self.fund_member(&me, member_id).await?;
        let zone = zone_of_fund(me.caisse_code);
        let slots = match wanted {
            Some((motif, channel, site)) => self
                .slots(member_id, motif, channel, site)
                .await?
                .into_iter()
                .map(|s| (zone.local(s.span.start), s.span.start, s.site))
                .collect(),
            None => Vec::new(),
        };
        audit::record(
            &self.db,
            context,
            Actor::Staff(staff_id),
            AuditAction::StaffAgendaViewed,
            Some(("member", member_id)),
            json!({ "booking": true }),
            self.instant(),
        )
        .await?;
        Ok(BookingChoices {
            member_id,
            member_name: member.display_name(),
            member_phone: member.phone.as_ref().map(|p| national(p.as_str())),
            motifs: self.motifs(member_id).await?,
            sites: self.sites(member_id).await?,
            slots,
        })
    }

    /// Books `request` for member `member_id` of the staff member's fund, as the advisor
    /// (the member gets the confirmation mail; `booked_by` is the advisor).
    ///
    /// # Errors
    /// [`StaffAgendaError::NotFound`] for another fund's member; the booking's refusals.
    pub async fn book_for(
        &self,
        staff_id: Uuid,
        member_id: Uuid,
        request: &BookingRequest,
        context: &RequestContext,
    ) -> Result<Appointment, StaffAgendaError> {
        let me = self.me(staff_id).await?;
        self.fund_member(&me, member_id).await?;
        // The form links nothing: a thread or dossier would have to be checked as the
        // member's own first.
        let request = BookingRequest {
            link: None,
            ..request.clone()
        };
        Ok(self
            .book_as(member_id, &request, Actor::Staff(staff_id), context)
            .await?)
    }
}
