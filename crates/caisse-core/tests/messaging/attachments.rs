//! Attachments: drafts across a form's steps, numbering in the thread, scoped downloads,
//! nothing left behind by a refused or failed message, and the purge of old drafts.

use caisse_core::messaging::{Attachments, AttachmentsError, MemberError, Upload};
use caisse_domain::messaging::AttachmentKind;
use caisse_store::ConnectionTrait;
use caisse_test_support::files::{pdf, png, stored_files, windows_program};
use time::Duration;

use super::{ctx, member, question, staff_member, world};

fn upload(name: &str, bytes: Vec<u8>) -> Upload {
    Upload {
        name: name.to_owned(),
        bytes,
    }
}

#[tokio::test]
async fn drafts_become_the_files_of_the_message_numbered_in_thread_order() {
    let w = world().await;
    let alice = member(&w.db, "08411", "781").await;
    let bob = member(&w.db, "08412", "781").await;
    let staged = w
        .svc
        .attachments
        .stage_attachments(
            alice,
            &[],
            vec![
                upload("facture.pdf", pdf()),
                upload("facture.exe", windows_program()),
            ],
        )
        .await
        .unwrap();
    assert_eq!(staged.drafts.len(), 1, "the good file is kept");
    assert_eq!(staged.problems.len(), 1, "the bad one is named");
    assert!(staged.problems[0].message.contains("« facture.exe »"));
    // Someone else's draft id is nobody's business.
    let ids = [staged.drafts[0].id];
    assert!(
        w.svc
            .attachments
            .member_drafts(bob, &ids)
            .await
            .unwrap()
            .is_empty()
    );

    let attachments = Attachments {
        drafts: ids.to_vec(),
        uploads: vec![upload("photo.png", png())],
    };
    let sent = w
        .svc
        .member
        .send_with_attachments(alice, question(), attachments, &ctx())
        .await
        .unwrap();
    assert!(
        w.svc
            .attachments
            .member_drafts(alice, &ids)
            .await
            .unwrap()
            .is_empty()
    );
    w.svc
        .member
        .member_reply_with_attachments(
            alice,
            sent.id,
            "Le verso.",
            Attachments::uploads(vec![upload("verso.pdf", pdf())]),
            &ctx(),
        )
        .await
        .unwrap();
    let thread = w.svc.member.member_thread(alice, sent.id).await.unwrap();
    let listed: Vec<(usize, &str, AttachmentKind)> = thread
        .messages
        .iter()
        .flat_map(|m| &m.attachments)
        .map(|a| (a.position, a.name.as_str(), a.kind))
        .collect();
    assert_eq!(
        listed,
        [
            (1, "facture.pdf", AttachmentKind::Pdf),
            (2, "photo.png", AttachmentKind::Png),
            (3, "verso.pdf", AttachmentKind::Pdf),
        ]
    );
    assert_eq!(stored_files(w.files.backend().as_ref()).await, 3);
    let file = w
        .svc
        .attachments
        .member_attachment(alice, sent.id, 3)
        .await
        .unwrap();
    assert_eq!(
        file.bytes,
        caisse_core::pdf_files::sanitise(&pdf()).unwrap()
    );
    for (who, n) in [(bob, 1), (alice, 4), (alice, 0)] {
        assert!(matches!(
            w.svc.attachments.member_attachment(who, sent.id, n).await,
            Err(AttachmentsError::NotFound)
        ));
    }
}

#[tokio::test]
async fn staff_reach_their_funds_files_only_and_each_download_is_audited() {
    let w = world().await;
    let alice = member(&w.db, "08413", "781").await;
    let yvelines = staff_member(&w.db, "conseiller781", "conseiller", "781").await;
    let strasbourg = staff_member(&w.db, "conseiller671", "conseiller", "671").await;
    let sent = w
        .svc
        .member
        .send_with_attachments(
            alice,
            question(),
            Attachments::uploads(vec![upload("ordonnance.pdf", pdf())]),
            &ctx(),
        )
        .await
        .unwrap();
    assert!(matches!(
        w.svc
            .attachments
            .staff_attachment(strasbourg, sent.id, 1, &ctx())
            .await,
        Err(AttachmentsError::NotFound)
    ));
    let file = w
        .svc
        .attachments
        .staff_attachment(yvelines, sent.id, 1, &ctx())
        .await
        .unwrap();
    assert_eq!(
        (file.name.as_str(), file.bytes),
        (
            "ordonnance.pdf",
            caisse_core::pdf_files::sanitise(&pdf()).unwrap()
        )
    );
    let audited = caisse_store::audit::for_subject(&w.db, "message_thread", sent.id, 50)
        .await
        .unwrap();
    let downloads: Vec<_> = audited
        .iter()
        .filter(|e| e.action.code() == "staff.attachment.downloaded")
        .collect();
    assert_eq!(downloads.len(), 1);
    assert_eq!(downloads[0].actor_id, Some(yvelines));

    // The conseiller may attach a file to an answer too.
    let version = w
        .svc
        .staff
        .staff_reply_with_attachments(
            yvelines,
            sent.id,
            1,
            "Voici votre attestation.",
            vec![upload("attestation.pdf", pdf())],
            &ctx(),
        )
        .await
        .unwrap();
    assert_eq!(version, 2);
    let file = w
        .svc
        .attachments
        .member_attachment(alice, sent.id, 2)
        .await
        .unwrap();
    assert_eq!(file.name, "attestation.pdf");
}

#[tokio::test]
async fn a_message_whose_transaction_fails_leaves_no_file_behind() {
    let w = world().await;
    let alice = member(&w.db, "08414", "781").await;
    // The transaction fails at the attachments' rows, after the files were written.
    w.db.execute_unprepared("DROP TABLE message_attachments")
        .await
        .unwrap();
    let failed = w
        .svc
        .member
        .send_with_attachments(
            alice,
            question(),
            Attachments::uploads(vec![upload("a.pdf", pdf()), upload("b.png", png())]),
            &ctx(),
        )
        .await;
    assert!(matches!(failed, Err(MemberError::Core(_))), "{failed:?}");
    assert_eq!(stored_files(w.files.backend().as_ref()).await, 0);
    assert_eq!(
        w.svc
            .member
            .member_threads(alice, &Default::default(), 1)
            .await
            .unwrap()
            .total,
        0
    );
}

#[tokio::test]
async fn a_refused_file_stops_the_whole_message_and_nothing_is_stored() {
    let w = world().await;
    let alice = member(&w.db, "08415", "781").await;
    let refused = w
        .svc
        .member
        .send_with_attachments(
            alice,
            question(),
            Attachments::uploads(vec![upload("a.pdf", pdf()), upload("../../b.pdf", pdf())]),
            &ctx(),
        )
        .await;
    let Err(MemberError::Invalid(problems)) = refused else {
        panic!("refused: {refused:?}");
    };
    assert_eq!(problems.len(), 1);
    assert!(problems[0].message.contains("« ../../b.pdf »"));
    assert_eq!(stored_files(w.files.backend().as_ref()).await, 0);
}

#[tokio::test]
async fn drafts_expire_after_a_day_and_the_purge_deletes_them_with_their_files() {
    let w = world().await;
    let alice = member(&w.db, "08416", "781").await;
    let staged = w
        .svc
        .attachments
        .stage_attachments(alice, &[], vec![upload("a.pdf", pdf())])
        .await
        .unwrap();
    let ids = [staged.drafts[0].id];
    w.clock.advance(Duration::hours(24));
    assert!(
        w.svc
            .attachments
            .member_drafts(alice, &ids)
            .await
            .unwrap()
            .is_empty(),
        "expired"
    );
    let late = w
        .svc
        .member
        .send_with_attachments(
            alice,
            question(),
            Attachments {
                drafts: ids.to_vec(),
                uploads: Vec::new(),
            },
            &ctx(),
        )
        .await;
    assert!(matches!(late, Err(MemberError::Invalid(_))));
    assert_eq!(
        w.svc.attachments.purge_expired_drafts().await.unwrap(),
        0,
        "grace hour"
    );
    w.clock.advance(Duration::hours(1) + Duration::seconds(1));
    assert_eq!(w.svc.attachments.purge_expired_drafts().await.unwrap(), 1);
    assert_eq!(stored_files(w.files.backend().as_ref()).await, 0);
}

#[tokio::test]
async fn a_file_whose_bytes_are_gone_from_the_store_is_lost_data_not_a_missing_file() {
    use caisse_core::files::{FileKey, FileStore};

    let w = world().await;
    let alice = member(&w.db, "08418", "781").await;
    let sent = w
        .svc
        .member
        .send_with_attachments(
            alice,
            question(),
            Attachments::uploads(vec![upload("facture.pdf", pdf())]),
            &ctx(),
        )
        .await
        .unwrap();
    let thread = w.svc.member.member_thread(alice, sent.id).await.unwrap();
    let message_ids: Vec<_> = thread.messages.iter().map(|m| m.id).collect();
    let rows = caisse_store::attachments::of_messages(&w.db, &message_ids)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    w.files
        .delete(&FileKey::from_stored(rows[0].file.storage_key.clone()))
        .await
        .unwrap();
    assert!(matches!(
        w.svc.attachments.member_attachment(alice, sent.id, 1).await,
        Err(AttachmentsError::FileMissing)
    ));
    // The number past the last file is still the reader's mistake.
    assert!(matches!(
        w.svc.attachments.member_attachment(alice, sent.id, 2).await,
        Err(AttachmentsError::NotFound)
    ));
}
