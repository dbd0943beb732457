//! What the messaging services share: the settings, the clock, the database, the file store
//! and the node's file pool, and the reads every one of them makes (a staff member's fund, a
//! thread of it opened and audited). Helpers about files, notices, quotas and PDFs are in
//! their own modules, on the same [`Shared`].

use crate::reads::Reads;
use std::sync::Arc;

use caisse_domain::Instant;
use caisse_domain::messaging::{DEFAULT_DELAY_DAYS, Delays, Nature};
use caisse_store::Db;
use caisse_store::messaging::{self as store, Thread};
use uuid::Uuid;

use super::people::{self, ActingStaff};
use super::views::{ThreadDetail, ThreadMessage, ThreadSummary};
use super::{ACTION_VIEWED, MessagingSettings, SUBJECT_THREAD};
use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};
use crate::blocking::BlockingPool;
use crate::clock::Clock;
use crate::files::FileStore;

/// The inputs of every messaging service, built once per node.
pub(super) struct Shared {
    pub(super) db: Db,
    /// Where lists and queues read (a replica when one is set).
    pub(super) reads: Reads,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) settings: MessagingSettings,
    pub(super) files: Arc<dyn FileStore>,
    /// Bounds the files (images, PDFs) checked and rewritten at once on the node.
    pub(super) file_pool: BlockingPool,
}

impl Shared {
    pub(super) fn new(
        reads: Reads,
        clock: Arc<dyn Clock>,
        settings: MessagingSettings,
        files: Arc<dyn FileStore>,
    ) -> Shared {
        Shared {
            file_pool: BlockingPool::new(settings.file_workers),
            db: reads.primary_db().clone(),
            reads,
            clock,
            settings,
            files,
        }
    }

    /// Now, as stored.
    pub(super) fn now(&self) -> Instant {
        Instant::from(self.clock.now())
    }

    pub(super) fn base_url(&self) -> &str {
        self.settings.base_url.trim_end_matches('/')
    }

    /// The working days given to answer a thread of `objet_code` and `nature`; an objet since
    /// removed from the catalogue keeps the default delays.
    pub(super) fn delay_days(&self, objet_code: &str, nature: Nature) -> u32 {
        self.settings.catalogue.get(objet_code).map_or_else(
            || Delays::questions_in(DEFAULT_DELAY_DAYS).for_nature(nature),
            |objet| objet.delay_days(nature),
        )
    }

    pub(super) fn page_size(&self) -> u64 {
        self.settings.page_size.max(1)
    }

    /// The staff member `staff_id` if their account is active.
    pub(super) async fn acting_staff(
        &self,
        staff_id: Uuid,
    ) -> Result<Option<ActingStaff>, CoreError> {
        people::active_staff(&self.db, staff_id).await
    }

    /// A thread of the active staff member's fund with the staff member, its opening audited as a view
    /// (`staff.thread.viewed`, with `details`); `None` for an unknown staff member or another
    /// fund's thread, and then nothing is audited.
    pub(super) async fn open_as_staff(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        context: &RequestContext,
        details: serde_json::Value,
    ) -> Result<Option<(ActingStaff, Thread)>, CoreError> {
        let Some(staff) = self.acting_staff(staff_id).await? else {
            return Ok(None);
        };
        let Some(thread) = store::fund_thread(&self.db, staff.caisse_code, thread_id).await? else {
            return Ok(None);
        };
        audit::record(
            &self.db,
            context,
            Actor::Staff(staff_id),
            ACTION_VIEWED,
            Some((SUBJECT_THREAD, thread_id)),
            details,
            self.clock.now(),
        )
        .await?;
        Ok(Some((staff, thread)))
    }

    /// A thread of the staff member's fund with every message, internal notes included, its opening
    /// audited (see [`Shared::open_as_staff`]); `None` when the staff member does not reach it.
    pub(super) async fn staff_thread_detail(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        context: &RequestContext,
        details: serde_json::Value,
    ) -> Result<Option<ThreadDetail>, CoreError> {
        let Some((_, thread)) = self
            .open_as_staff(staff_id, thread_id, context, details)
            .await?
        else {
            return Ok(None);
        };
        let mut messages: Vec<ThreadMessage> = store::messages(&self.db, thread_id, true)
            .await?
            .into_iter()
            .map(|m| ThreadMessage::from_row(m, true))
            .collect();
        self.list_attachments(&mut messages).await?;
        Ok(Some(ThreadDetail {
            thread: ThreadSummary::from(thread),
            messages,
        }))
    }
}
