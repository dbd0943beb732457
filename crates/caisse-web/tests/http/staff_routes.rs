//! Tenant isolation of the back office, route by route: an administrator of another fund (every
//! role check passes) meets a 404 on each object of the Yvelines fund, sees none of them in
//! lists, and changes nothing.
//!
//! The table below is checked against the router's source: every `/agent…` and `/admin…`
//! route, with each of its methods, must have a case, and every case a route. A route added
//! without a case fails this test.

use std::collections::{BTreeMap, BTreeSet};

use axum::http::StatusCode;
use caisse_core::staff::StaffRole;
use caisse_domain::messaging::{ReferralReason, ReferralStatus};
use caisse_store::mediation::NewReferral;
use caisse_store::outbox;
use caisse_test_support::files::pdf;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{MEMBER_NIR, TestApp, TestResponse, api_token};

const ROUTER: &str = include_str!("../../src/router.rs");
/// Where the router's path constants of the staff login live.
const STAFF_CODE: &str = include_str!("../../src/pages/back_office/login_code.rs");

/// The fund whose objects are probed (the demo staff's, Julien MARTIN's).
const FUND_A: &str = "781";

fn fund_a() -> caisse_domain::CaisseCode {
    caisse_domain::CaisseCode::parse(FUND_A).unwrap()
}
/// The fund of the probing administrator.
const FUND_B: &str = "671";
const FUND_B_SECRET: &str = "ISOLATIONADMINISTRATEURBASRHIN26";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Method {
    Get,
    Post,
}

/// One object of fund A, put in the path's `{…}` segments.
#[derive(Clone, Copy, Debug)]
enum Object {
    Member,
    Thread,
    /// The thread and the position of its attachment.
    Attachment,
    Canned,
    Batch,
    Referral,
    OutboxMessage,
    /// The member and one of their payments.
    Payment,
    /// A correction of a paid line waiting for approval.
    Correction,
    /// A démarche's dossier, filed and waiting for an advisor (its piece as `{piece}`).
    Dossier,
    /// Julien's appointment with the demo advisor.
    Appointment,
    /// The demo branch (its closure as the `Closure` object).
    Site,
    /// A motif of appointments.
    Motif,
    /// The demo advisor (their weekly hours as `{hours}`, their absence as `{absence}`).
    Advisor,
    /// A closure of the demo branch.
    Closure,
    /// An entry of the fund's help, with a draft.
    HelpEntry,
    /// Julien's public question, pending moderation.
    Question,
}

/// What a staff route is checked for.
#[derive(Clone, Copy, Debug)]
enum Case {
    /// A step of the staff login or logout: nobody's data, no fund.
    Login,
    /// A form with nothing of anybody's in it.
    EmptyForm,
    /// Fund A's object: 404 for fund B; fund A's administrator reads it (the id is right).
    Read(Object),
    /// An action on fund A's object with these fields: 404 for fund B, nothing changes.
    Act(Object, &'static [(&'static str, &'static str)]),
    /// A page of the fund's own things: none of fund A's appear for fund B.
    List,
    /// A search or a creation with these fields: it reaches nothing of fund A's.
    Submit(&'static [(&'static str, &'static str)]),
}

const VERSIONED: &[(&str, &str)] = &[("version", "1"), ("vus", "1")];

const MOTIF_FIELDS: &[(&str, &str)] = &[
    ("code", "autre-caisse"),
    ("libelle", "Motif détourné"),
    ("canal", "telephone"),
    ("duree", "30"),
    ("prevenance", "24"),
    ("horizon", "30"),
    ("actif", "oui"),
];

const SITE_FIELDS: &[(&str, &str)] = &[
    ("nom", "Accueil détourné"),
    ("adresse", "1 rue de l'Autre Caisse"),
    ("code_postal", "67000"),
    ("ville", "Strasbourg"),
    ("horaires", "Jamais"),
    ("actif", "oui"),
];

const PERIOD_FIELDS: &[(&str, &str)] = &[
    ("debut", "2030-01-07T08:00"),
    ("fin", "2030-01-07T18:00"),
    ("motif", "Détournement"),
];

const HELP_FIELDS: &[(&str, &str)] = &[
    ("adresse", "aide-autre-caisse"),
    ("rubrique", "compte"),
    ("question", "Une question détournée par une autre caisse"),
    ("reponse", "Une réponse détournée par une autre caisse."),
    ("relecture", "2030-01-15"),
];

/// Every staff route and method, and its case.
fn cases() -> BTreeMap<(&'static str, Method), Case> {
    use Case::*;
    use Method::*;
    use Object::*;
    BTreeMap::from([
        (("/agent", Get), List),
        (("/agent/connexion", Get), Login),
        (("/agent/connexion", Post), Login),
        (("/agent/connexion/code", Get), Login),
        (("/agent/connexion/code", Post), Login),
        (("/agent/connexion/enrolement", Get), Login),
        (("/agent/connexion/enrolement", Post), Login),
        (("/agent/connexion/enrolement/qr.svg", Get), Login),
        (("/agent/connexion/oidc", Post), Login),
        (("/agent/connexion/oidc/retour", Get), Login),
        (("/agent/deconnexion", Post), Login),
        (("/agent/comptes", Get), EmptyForm),
        (("/agent/comptes", Post), Submit(&[("nir", MEMBER_NIR)])),
        (("/agent/comptes/{id}", Get), Read(Member)),
        (("/agent/comptes/{id}/debloquer", Post), Act(Member, &[])),
        (("/agent/comptes/{id}/lever-gel", Post), Act(Member, &[])),
        (
            ("/agent/comptes/{id}/code-provisoire", Post),
            Act(Member, &[]),
        ),
        (("/agent/comptes/{id}/paiements", Get), Read(Member)),
        (
            ("/agent/comptes/{id}/paiements/{payment}", Get),
            Read(Payment),
        ),
        (
            ("/agent/comptes/{id}/paiements/{payment}/corriger", Post),
            Act(
                Payment,
                &[
                    ("feuille", "{sheet}"),
                    ("ligne", "1"),
                    ("affiche", "{shown}"),
                    ("montant", "0"),
                    ("motif", "Annulation par une autre caisse"),
                ],
            ),
        ),
        (("/agent/corrections", Get), List),
        (
            ("/agent/corrections/{id}/valider", Post),
            Act(Correction, &[]),
        ),
        (
            ("/agent/corrections/{id}/refuser", Post),
            Act(Correction, &[]),
        ),
        (("/agent/dossiers", Get), List),
        (("/agent/dossiers/{id}", Get), Read(Dossier)),
        (("/agent/dossiers/{id}/pieces/{piece}", Get), Read(Dossier)),
        (("/agent/dossiers/{id}/prendre", Post), Act(Dossier, &[])),
        (("/agent/dossiers/{id}/enquete", Post), Act(Dossier, &[])),
        (("/agent/dossiers/{id}/carte", Post), Act(Dossier, &[])),
        (
            ("/agent/dossiers/{id}/completer", Post),
            Act(
                Dossier,
                &[("message", "Détourné"), ("champ", "acte_naissance")],
            ),
        ),
        (
            ("/agent/dossiers/{id}/decider", Post),
            Act(Dossier, &[("decision", "accepter")]),
        ),
        (
            ("/agent/dossiers/{id}/transmettre", Post),
            Act(Dossier, &[("equipe", "")]),
        ),
        (("/agent/alertes", Get), List),
        (("/agent/messagerie", Get), List),
        (("/agent/messagerie/{id}", Get), Read(Thread)),
        (
            ("/agent/messagerie/{id}/prendre", Post),
            Act(Thread, VERSIONED),
        ),
        (
            ("/agent/messagerie/{id}/attribuer", Post),
            Act(
                Thread,
                &[("version", "1"), ("vus", "1"), ("conseiller", "")],
            ),
        ),
        (
            ("/agent/messagerie/{id}/repondre", Post),
            Act(
                Thread,
                &[("version", "1"), ("vus", "1"), ("reponse", "Bonjour")],
            ),
        ),
        (
            ("/agent/messagerie/{id}/note", Post),
            Act(Thread, &[("version", "1"), ("vus", "1"), ("note", "Note")]),
        ),
        (
            ("/agent/messagerie/{id}/statut", Post),
            Act(
                Thread,
                &[("version", "1"), ("vus", "1"), ("statut", "traite")],
            ),
        ),
        (
            ("/agent/messagerie/{id}/nature", Post),
            Act(
                Thread,
                &[("version", "1"), ("vus", "1"), ("nature", "reclamation")],
            ),
        ),
        (
            ("/agent/messagerie/{id}/transferer-equipe", Post),
            Act(
                Thread,
                &[("version", "1"), ("vus", "1"), ("equipe", "accueil")],
            ),
        ),
        (
            ("/agent/messagerie/{id}/transferer-caisse", Post),
            Act(
                Thread,
                &[("version", "1"), ("vus", "1"), ("caisse", FUND_B)],
            ),
        ),
        (
            ("/agent/messagerie/{id}/cloturer", Post),
            Act(Thread, VERSIONED),
        ),
        (
            ("/agent/messagerie/{id}/issue", Post),
            Act(Thread, &[("version", "1"), ("outcome", "defavorable")]),
        ),
        (("/agent/messagerie/{id}/pdf", Get), Read(Thread)),
        (
            ("/agent/messagerie/{id}/pieces-jointes/{n}", Get),
            Read(Attachment),
        ),
        (("/agent/reponses-types", Get), List),
        (
            ("/agent/reponses-types", Post),
            Submit(&[
                ("titre", "Réponse de l'autre caisse"),
                ("equipe", ""),
                ("texte", "Bonjour {prenom},"),
            ]),
        ),
        (("/agent/reponses-types/{id}", Get), Read(Canned)),
        (
            ("/agent/reponses-types/{id}", Post),
            Act(
                Canned,
                &[
                    ("titre", "Détournée"),
                    ("equipe", ""),
                    ("texte", "Détournée"),
                ],
            ),
        ),
        (
            ("/agent/reponses-types/{id}/desactiver", Post),
            Act(Canned, &[]),
        ),
        (
            ("/agent/reponses-types/{id}/activer", Post),
            Act(Canned, &[]),
        ),
        (("/agent/courriers", Get), List),
        (("/agent/courriers/lot", Post), Submit(&[])),
        (("/agent/courriers/lots/{batch}", Get), Read(Batch)),
        (("/agent/tableau-de-bord", Get), List),
        (("/agent/mediation", Get), List),
        (("/agent/mediation/{id}", Get), Read(Referral)),
        (
            ("/agent/mediation/{id}/prendre", Post),
            Act(Referral, &[("version", "1")]),
        ),
        (
            ("/agent/mediation/{id}/repondre", Post),
            Act(Referral, &[("version", "1"), ("body", "Réponse")]),
        ),
        (
            ("/agent/mediation/{id}/clore", Post),
            Act(Referral, &[("version", "1")]),
        ),
        (("/agent/agenda", Get), List),
        (("/agent/agenda/accueil/{id}", Get), Read(Site)),
        (("/agent/agenda/reserver", Get), List),
        (
            ("/agent/agenda/reserver", Post),
            Submit(&[("nir", MEMBER_NIR)]),
        ),
        (("/agent/agenda/pilotage", Get), List),
        (("/agent/agenda/configuration", Get), List),
        (
            ("/agent/agenda/configuration/motifs", Post),
            Submit(MOTIF_FIELDS),
        ),
        (
            ("/agent/agenda/configuration/motifs/{id}", Post),
            Act(Motif, MOTIF_FIELDS),
        ),
        (
            ("/agent/agenda/configuration/accueils", Post),
            Submit(SITE_FIELDS),
        ),
        (
            ("/agent/agenda/configuration/accueils/{id}", Post),
            Act(Site, SITE_FIELDS),
        ),
        (
            ("/agent/agenda/configuration/accueils/{id}/fermetures", Post),
            Act(Site, PERIOD_FIELDS),
        ),
        (
            (
                "/agent/agenda/configuration/fermetures/{id}/supprimer",
                Post,
            ),
            Act(Closure, &[]),
        ),
        (
            (
                "/agent/agenda/configuration/conseillers/{id}/horaires",
                Post,
            ),
            Act(
                Advisor,
                &[
                    ("canal", "telephone"),
                    ("accueil", ""),
                    ("jour", "6"),
                    ("debut", "09:00"),
                    ("fin", "10:00"),
                ],
            ),
        ),
        (
            (
                "/agent/agenda/configuration/conseillers/{id}/horaires/{hours}/supprimer",
                Post,
            ),
            Act(Advisor, &[]),
        ),
        (
            (
                "/agent/agenda/configuration/conseillers/{id}/absences",
                Post,
            ),
            Act(Advisor, PERIOD_FIELDS),
        ),
        (
            (
                "/agent/agenda/configuration/conseillers/{id}/absences/{absence}/supprimer",
                Post,
            ),
            Act(Advisor, &[]),
        ),
        (("/agent/rendez-vous/{id}", Get), Read(Appointment)),
        (
            ("/agent/rendez-vous/{id}/statut", Post),
            Act(Appointment, &[("statut", "excuse")]),
        ),
        (
            ("/agent/rendez-vous/{id}/annuler", Post),
            Act(Appointment, &[]),
        ),
        (("/agent/aide", Get), List),
        (("/agent/aide/nouvelle", Get), EmptyForm),
        (("/agent/aide/nouvelle", Post), Submit(HELP_FIELDS)),
        (("/agent/aide/questions", Get), List),
        (("/agent/aide/{id}", Get), Read(HelpEntry)),
        (("/agent/aide/{id}/modifier", Get), Read(HelpEntry)),
        (
            ("/agent/aide/{id}/modifier", Post),
            Act(HelpEntry, HELP_FIELDS),
        ),
        (("/agent/aide/{id}/publier", Post), Act(HelpEntry, &[])),
        (("/agent/aide/{id}/retirer", Post), Act(HelpEntry, &[])),
        (("/agent/aide/{id}/remettre", Post), Act(HelpEntry, &[])),
        (("/agent/questions", Get), List),
        (("/agent/questions/{id}", Get), Read(Question)),
        (("/agent/questions/{id}/publier", Post), Act(Question, &[])),
        (
            ("/agent/questions/{id}/refuser", Post),
            Act(Question, &[("motif", "Refus de la caisse B")]),
        ),
        (
            ("/agent/questions/{id}/repondre", Post),
            Act(Question, &[("reponse", "Réponse détournée de la caisse B")]),
        ),
        (("/agent/questions/{id}/faq", Post), Act(Question, &[])),
        (("/admin/outbox", Get), List),
        (("/admin/outbox/{id}", Get), Read(OutboxMessage)),
        (
            ("/admin/outbox/{id}/relancer", Post),
            Act(OutboxMessage, &[]),
        ),
    ])
}

/// The value of `pub const NAME: &str = "…";` in `source`.
fn constant(source: &str, name: &str) -> Option<String> {
    let start = source.find(&format!("pub const {name}: &str = \""))?;
    let rest = &source[start..];
    let value = &rest[rest.find('"')? + 1..];
    Some(value[..value.find('"')?].to_owned())
}

/// Every route of the router's source whose path is a staff one, with its methods.
fn staff_routes_of_router() -> BTreeSet<(String, Method)> {
    assert!(
        !ROUTER.contains(".nest(\"/agent") && !ROUTER.contains(".nest(\"/admin"),
        "staff routes nested under a prefix escape this test: add them to its parser"
    );
    let mut routes = BTreeSet::new();
    for (at, _) in ROUTER.match_indices(".route(") {
        let call = &ROUTER[at + ".route(".len()..];
        // The call's text, up to its closing parenthesis.
        let mut depth = 1;
        let end = call
            .char_indices()
            .find_map(|(i, c)| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                (depth == 0).then_some(i)
            })
            .expect("a closed .route( call");
        let call = &call[..end];
        let first = call.trim_start();
        let path = if let Some(literal) = first.strip_prefix('"') {
            literal[..literal.find('"').expect("a closed literal")].to_owned()
        } else {
            let name = first[..first.find(',').expect("two arguments")].trim();
            match name.strip_prefix("staff_code::") {
                Some(constant_name) => constant(STAFF_CODE, constant_name)
                    .unwrap_or_else(|| panic!("staff_code::{constant_name} not found")),
                None => panic!("route path `{name}`: teach this test where it is defined"),
            }
        };
        if !(path.starts_with("/agent") || path.starts_with("/admin")) {
            continue;
        }
        let handlers = &call[call.find(',').expect("a handler")..];
        for (marker, method) in [("get(", Method::Get), ("post(", Method::Post)] {
            if handlers.contains(marker) {
                routes.insert((path.clone(), method));
            }
        }
        assert!(
            !["put(", "patch(", "delete(", "any("]
                .iter()
                .any(|m| handlers.contains(m)),
            "{path}: a method this test does not check"
        );
    }
    routes
}

#[test]
fn every_staff_route_of_the_router_has_a_case_and_every_case_a_route() {
    let in_router = staff_routes_of_router();
    let in_table: BTreeSet<(String, Method)> = cases()
        .keys()
        .map(|(path, method)| ((*path).to_owned(), *method))
        .collect();
    let missing: Vec<_> = in_router.difference(&in_table).collect();
    assert!(
        missing.is_empty(),
        "staff routes without an isolation case in tests/http/staff_routes.rs: {missing:?}"
    );
    let stale: Vec<_> = in_table.difference(&in_router).collect();
    assert!(
        stale.is_empty(),
        "cases for routes the router no longer has: {stale:?}"
    );
    assert!(
        in_router.len() > 40,
        "the parser lost routes: {in_router:?}"
    );
}

/// Fund A's objects.
struct Objects {
    member: Uuid,
    thread: Uuid,
    canned: Uuid,
    batch: Uuid,
    referral: Uuid,
    message: Uuid,
    payment: Uuid,
    /// The paid line's sheet, and what its first line reimburses (in cents).
    sheet: Uuid,
    shown: i64,
    correction: Uuid,
    dossier: Uuid,
    piece: Uuid,
    appointment: Uuid,
    site: Uuid,
    motif: Uuid,
    advisor: Uuid,
    hours: Uuid,
    absence: Uuid,
    closure: Uuid,
    help_entry: Uuid,
    question: Uuid,
    /// Texts that only fund A's objects put on a page.
    markers: Vec<String>,
}

impl Objects {
    fn path(&self, pattern: &str, object: Object) -> String {
        let id = match object {
            Object::Member => self.member,
            Object::Thread | Object::Attachment => self.thread,
            Object::Canned => self.canned,
            Object::Batch => self.batch,
            Object::Referral => self.referral,
            Object::OutboxMessage => self.message,
            Object::Payment => self.member,
            Object::Correction => self.correction,
            Object::Dossier => self.dossier,
            Object::Appointment => self.appointment,
            Object::Site => self.site,
            Object::Motif => self.motif,
            Object::Advisor => self.advisor,
            Object::Closure => self.closure,
            Object::HelpEntry => self.help_entry,
            Object::Question => self.question,
        };
        pattern
            .replace("{id}", &id.to_string())
            .replace("{payment}", &self.payment.to_string())
            .replace("{piece}", &self.piece.to_string())
            .replace("{batch}", &id.to_string())
            .replace("{n}", "1")
            .replace("{hours}", &self.hours.to_string())
            .replace("{absence}", &self.absence.to_string())
    }
}

/// Fund A's objects, made through the pages and use cases (a few rows directly).
async fn objects(app: &TestApp) -> Objects {
    let db = &app.db.db;
    let mut member = app.another_browser();
    let julien = app.member("185057800608491").await;
    // A réclamation with a file, through the API.
    let token = api_token(&mut member, MEMBER_NIR).await;
    let message = json!({
        "recipient": "caisse",
        "objet": "remboursement.contestation",
        "nature": "reclamation",
        "subject": "Contestation du remboursement",
        "body": "Ma consultation n'est pas remboursée.",
    })
    .to_string();
    let file = pdf();
    let sent = member
        .post_multipart(
            "/api/v1/messages",
            &[("message", &message)],
            &[("file", "facture.pdf", &file)],
            Some(&token),
        )
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
    let sent: Value = serde_json::from_str(&sent.body).unwrap();
    let thread: Uuid = sent["id"].as_str().unwrap().parse().unwrap();
    let reference = sent["reference"].as_str().unwrap().to_owned();
    let referral = caisse_store::mediation::insert(
        db,
        NewReferral {
            reference: "MD-ISOLATION-1".to_owned(),
            thread_id: thread,
            member_id: julien.id,
            caisse_code: fund_a(),
            reason: ReferralReason::NoAnswer,
            member_text: "Je saisis le médiateur.".to_owned(),
            status: ReferralStatus::ATraiter,
        },
        caisse_store::now_utc().into(),
    )
    .await
    .unwrap();
    caisse_store::security_alerts::raise(
        db,
        julien.id,
        &caisse_domain::CaisseCode::parse(FUND_A).unwrap(),
        caisse_domain::AlertKind::NotMe,
        caisse_domain::Instant::from(caisse_store::now_utc()),
    )
    .await
    .unwrap();
    let canned = caisse_store::canned_answers::of_fund(db, fund_a(), false)
        .await
        .unwrap()
        .remove(0);
    // Two letters by post: one batched by fund A's administrator, one left waiting.
    let mut admin = app.another_browser();
    admin.login_staff("admin").await;
    let mut batch = None;
    for round in 0..2 {
        let asked = member
            .submit(
                "/code-provisoire/demande",
                "/code-provisoire/demande",
                &[("nir", MEMBER_NIR), ("birth_date", "14/05/1985")],
            )
            .await;
        assert_eq!(asked.status, StatusCode::OK);
        if round == 0 {
            let made = admin
                .submit("/agent/courriers", "/agent/courriers/lot", &[])
                .await;
            let location = made.location().expect("a batch").to_owned();
            batch = location
                .strip_prefix("/agent/courriers/lots/")
                .map(str::to_owned);
        }
    }
    let batch: Uuid = batch.unwrap().parse().unwrap();
    let (payment, sheet, shown, correction) = paid_line(app, julien.id).await;
    // A birth declaration with its certificate, waiting for an advisor.
    let dossier = crate::staff_dossiers::filed_birth(app, julien.id, "Isolde").await;
    let piece = app
        .services
        .demarches
        .dossier(julien.id, dossier)
        .await
        .unwrap()
        .pieces[0]
        .id;
    // A failed mail of fund A, to retry.
    let message = outbox::for_recipient(db, "julien.martin@exemple.fr")
        .await
        .unwrap()
        .remove(0);
    app.fail_message(message.id).await;
    let agenda = agenda_objects(app, julien.id).await;
    let help_entry = help_objects(app).await;
    let question = app
        .services
        .forum
        .ask(
            julien.id,
            &caisse_core::forum::QuestionDraft {
                pseudonym: "Julien78".to_owned(),
                title: "Question de la caisse A sur la C2S".to_owned(),
                text: "Comment savoir si j'ai droit à la complémentaire santé solidaire ?"
                    .to_owned(),
            },
        )
        .await
        .unwrap()
        .id;
    let mut markers: Vec<String> = [
        julien.id,
        thread,
        canned.id,
        batch,
        referral,
        message.id,
        payment,
        correction,
        dossier,
        piece,
        agenda.appointment,
        agenda.site,
        agenda.motif,
        agenda.hours,
        agenda.absence,
        agenda.closure,
        help_entry,
        question,
    ]
    .iter()
    .map(Uuid::to_string)
    .collect();
    markers.extend([
        reference,
        canned.text.title.clone(),
        "julien.martin@exemple.fr".to_owned(),
        "Julien MARTIN".to_owned(),
        "Service prestations".to_owned(),
        // The waiting letter, and the failed mail, in fund A's counts.
        "<strong class=\"tabular\">1</strong>".to_owned(),
        "À relancer".to_owned(),
        "Motif de la caisse A".to_owned(),
        caisse_domain::demarches::dossier_reference(dossier.as_u128()),
        "Accueil du centre-ville".to_owned(),
        "Fermeture de la caisse A".to_owned(),
        "Absence de la caisse A".to_owned(),
        "Question propre à la caisse A".to_owned(),
        caisse_domain::help::normalized_question(HELP_QUESTION_A),
        "Question de la caisse A sur la C2S".to_owned(),
    ]);
    Objects {
        member: julien.id,
        thread,
        canned: canned.id,
        batch,
        referral,
        message: message.id,
        payment,
        sheet,
        shown,
        correction,
        dossier,
        piece,
        appointment: agenda.appointment,
        site: agenda.site,
        motif: agenda.motif,
        advisor: agenda.advisor,
        hours: agenda.hours,
        absence: agenda.absence,
        closure: agenda.closure,
        help_entry,
        question,
        markers,
    }
}

/// Fund A's agenda: Julien's appointment, the demo branch with a closure, a motif, the demo
/// advisor with their hours and an absence.
struct AgendaObjects {
    appointment: Uuid,
    site: Uuid,
    motif: Uuid,
    advisor: Uuid,
    hours: Uuid,
    absence: Uuid,
    closure: Uuid,
}

async fn agenda_objects(app: &TestApp, julien: Uuid) -> AgendaObjects {
    use caisse_domain::agenda::{Channel, Interval};
    use caisse_store::agenda as store;
    let db = &app.db.db;
    let agenda = &app.services.agenda;
    let slot = agenda
        .slots(julien, "c2s", Channel::Telephone, None)
        .await
        .unwrap()[0];
    let context = caisse_core::audit::RequestContext::default();
    let appointment = agenda
        .book(
            julien,
            &caisse_core::agenda::BookingRequest {
                motif: "c2s".to_owned(),
                channel: Channel::Telephone,
                site: None,
                starts_at: slot.span.start,
                phone: None,
                link: None,
            },
            &context,
        )
        .await
        .unwrap()
        .id;
    let site = store::sites(db, fund_a(), false).await.unwrap()[0].id;
    let motif = store::motifs(db, fund_a(), false).await.unwrap()[0].id;
    let advisor = caisse_store::staff::by_login(db, "conseiller")
        .await
        .unwrap()
        .unwrap()
        .id;
    let hours = store::hours_of_staff(db, advisor).await.unwrap()[0].id;
    let far = caisse_store::now_utc() + time::Duration::days(400);
    let span = Interval {
        start: far,
        end: far + time::Duration::days(1),
    };
    let absence = store::insert_absence(db, advisor, span, "Absence de la caisse A")
        .await
        .unwrap();
    let closure = Uuid::new_v4();
    store::insert_closure(
        db,
        &store::Closure {
            id: closure,
            site,
            span,
            reason: "Fermeture de la caisse A".to_owned(),
        },
    )
    .await
    .unwrap();
    AgendaObjects {
        appointment,
        site,
        motif,
        advisor,
        hours,
        absence,
        closure,
    }
}

/// A question only fund A's members asked its help, unanswered.
const HELP_QUESTION_A: &str = "Zorglub remboursement isolation caisse";

/// Fund A's help: an entry published with a draft beside it (written by fund A's
/// administrator), and a question nothing answered.
async fn help_objects(app: &TestApp) -> Uuid {
    let db = &app.db.db;
    let admin = caisse_store::staff::by_login(db, "admin")
        .await
        .unwrap()
        .unwrap()
        .id;
    let context = caisse_core::audit::RequestContext::default();
    let help = &app.services.help;
    let mut form = caisse_core::help::EntryForm {
        slug: "propre-caisse-a".to_owned(),
        category: "compte".to_owned(),
        question: "Question propre à la caisse A".to_owned(),
        answer: "Une réponse que seule la caisse A a écrite.".to_owned(),
        review_on: "2030-01-15".to_owned(),
        ..caisse_core::help::EntryForm::default()
    };
    let id = help.admin_create(admin, &context, &form).await.unwrap();
    help.admin_publish(admin, &context, id).await.unwrap();
    form.answer = "Une réponse que seule la caisse A a récrite.".to_owned();
    help.admin_save(admin, &context, id, &form).await.unwrap();
    let normalized = caisse_domain::help::normalized_question(HELP_QUESTION_A);
    caisse_store::help::queries::record(
        db,
        &caisse_store::help::queries::NewQuery {
            caisse: fund_a(),
            channel: caisse_store::help::queries::QueryChannel::Search,
            question: HELP_QUESTION_A,
            normalized: &normalized,
            outcome: caisse_domain::help::QueryOutcome::Unanswered,
            top_slug: None,
            confidence: 0,
        },
        caisse_domain::Instant::from(caisse_store::now_utc()),
    )
    .await
    .unwrap();
    id
}

/// Fund A's help entry as stored, to check nothing changed.
async fn help_state(app: &TestApp, objects: &Objects) -> String {
    let admin = caisse_store::staff::by_login(&app.db.db, "admin")
        .await
        .unwrap()
        .unwrap()
        .id;
    let entry = app
        .services
        .help
        .admin_entry(admin, objects.help_entry)
        .await
        .unwrap()
        .entry;
    format!(
        "{:?} {:?} {:?} {:?} {}",
        entry.status(),
        entry.published_version,
        entry.draft_version,
        entry.archived_at,
        entry.versions.len()
    )
}

/// Fund A's agenda as stored, to check nothing changed.
async fn agenda_state(app: &TestApp, objects: &Objects) -> String {
    use caisse_store::agenda as store;
    let db = &app.db.db;
    let appointment = store::find(db, objects.appointment)
        .await
        .unwrap()
        .map(|a| (a.status, a.outcome_by));
    let motifs = store::motifs(db, fund_a(), false).await.unwrap();
    let sites = store::sites(db, fund_a(), false).await.unwrap();
    let closures = store::closures(db, fund_a(), caisse_store::now_utc())
        .await
        .unwrap();
    let hours = store::hours_of_staff(db, objects.advisor).await.unwrap();
    let far = caisse_store::now_utc() + time::Duration::days(3_650);
    let absences = store::absences(db, fund_a(), None, caisse_store::now_utc(), far)
        .await
        .unwrap();
    format!("{appointment:?} {motifs:?} {sites:?} {closures:?} {hours:?} {absences:?}")
}

impl Objects {
    /// A form value with fund A's ids in its `{…}`.
    fn value(&self, value: &str) -> String {
        value
            .replace("{sheet}", &self.sheet.to_string())
            .replace("{shown}", &self.shown.to_string())
    }
}

/// One of Julien's paid lines of care, and a correction of it waiting for approval (asked by
/// fund A's administrator): payment, sheet, what the line reimburses, the correction.
async fn paid_line(app: &TestApp, julien: Uuid) -> (Uuid, Uuid, i64, Uuid) {
    let db = &app.db.db;
    caisse_core::demo::seed_care(db, caisse_store::now_utc())
        .await
        .unwrap();
    let admin = caisse_store::staff::by_login(db, "admin")
        .await
        .unwrap()
        .unwrap()
        .id;
    let context = caisse_core::audit::RequestContext::default();
    let service = &app.services.staff_payments;
    let list = service.list(admin, julien, 100, &context).await.unwrap();
    let entry = list
        .payments
        .iter()
        .find(|p| p.kind == caisse_domain::claims::MemberPaymentKind::Soins)
        .expect("a reimbursement of care");
    let view = service
        .detail(admin, julien, entry.id, &context)
        .await
        .unwrap();
    let line = &view.detail.beneficiaries[0].lines[0];
    let sender = caisse_domain::claims::ProfessionalId::rpps("10003456789").unwrap();
    let correction = caisse_store::claims::corrections::insert(
        db,
        caisse_store::claims::corrections::NewCorrection {
            id: Uuid::now_v7(),
            caisse: fund_a(),
            member_id: julien,
            sheet_id: line.sheet_id,
            date_of_care: line.date_of_care,
            line_no: line.line_no,
            payment_id: entry.id,
            payee: caisse_domain::claims::Payee::Member,
            sender: &sender,
            old: line.reimbursed,
            new: caisse_domain::AmountCents::new(0),
            reason: "Motif de la caisse A",
            status: caisse_domain::claims::CorrectionStatus::AValider,
            requested_by: admin,
            debt_id: None,
            complement: caisse_domain::AmountCents::new(0),
        },
        caisse_domain::Instant::from(caisse_store::now_utc()),
    )
    .await
    .unwrap();
    (entry.id, line.sheet_id, line.reimbursed.cents(), correction)
}

fn leaks<'a>(page: &TestResponse, markers: &'a [String]) -> Vec<&'a str> {
    markers
        .iter()
        .filter(|m| page.body.contains(m.as_str()))
        .map(String::as_str)
        .collect()
}

/// What can be read of fund A's objects, to check nothing changed.
async fn state_of(app: &TestApp, objects: &Objects) -> String {
    let db = &app.db.db;
    let thread = caisse_store::messaging::fund_thread(db, fund_a(), objects.thread)
        .await
        .unwrap()
        .map(|t| (t.version, t.status, t.team, t.assigned_staff_id));
    let messages = caisse_store::messaging::messages(db, objects.thread, true)
        .await
        .unwrap()
        .len();
    let canned = caisse_store::canned_answers::get(db, fund_a(), objects.canned)
        .await
        .unwrap()
        .map(|c| (c.text.title, c.text.body, c.active));
    let referral = caisse_store::mediation::fund_referral(db, fund_a(), objects.referral)
        .await
        .unwrap()
        .map(|r| (r.version, r.status, r.answer));
    let message = outbox::get(db, objects.message)
        .await
        .unwrap()
        .map(|m| m.status);
    let account = caisse_store::members::find_account(db, objects.member)
        .await
        .unwrap()
        .map(|a| (a.status, a.bank_frozen));
    let alerts = caisse_store::security_alerts::of_member(db, objects.member)
        .await
        .unwrap()
        .iter()
        .filter(|a| a.resolved_at.is_none())
        .count();
    let letters = caisse_store::postal_letters::waiting(
        db,
        &caisse_domain::CaisseCode::parse(FUND_A).unwrap(),
    )
    .await
    .unwrap();
    let corrections = caisse_store::claims::corrections::of_sheets(db, &[objects.sheet])
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.status, c.new, c.debt_id))
        .collect::<Vec<_>>();
    let debts = caisse_store::claims::debts::all_of(db, objects.member)
        .await
        .unwrap()
        .len();
    let dossier = app
        .services
        .demarches
        .dossier(objects.member, objects.dossier)
        .await
        .map(|d| (d.state, d.timeline.len(), d.completion.is_some()))
        .unwrap();
    let agenda = agenda_state(app, objects).await;
    let help = help_state(app, objects).await;
    let question = caisse_store::forum::find(db, objects.question)
        .await
        .unwrap()
        .map(|q| (q.status, q.rejection_reason));
    let answers = caisse_store::forum::answers(db, objects.question)
        .await
        .unwrap()
        .len();
    format!(
        "{thread:?} {messages} {canned:?} {referral:?} {message:?} {account:?} {alerts} {letters} \
         {corrections:?} {debts} {dossier:?} {agenda} {help} {question:?} {answers}"
    )
}

#[tokio::test]
async fn another_funds_administrator_meets_404_on_every_object_and_sees_none_in_lists() {
    let app = TestApp::with_demo_data().await;
    let objects = objects(&app).await;
    let mut other = app
        .staff_of_fund(
            "admin.isolation",
            StaffRole::Administrateur,
            FUND_B,
            FUND_B_SECRET,
        )
        .await;
    let mut owner = app.another_browser();
    owner.login_staff("admin").await;
    let before = state_of(&app, &objects).await;
    let token = other.get("/agent").await.csrf_token();
    let mut failures = Vec::new();
    for ((pattern, method), case) in cases() {
        let answer = match (case, method) {
            (Case::Login | Case::EmptyForm, _) => continue,
            (Case::Read(object), Method::Get) => {
                let path = objects.path(pattern, object);
                let mine = owner.get(&path).await;
                if mine.status != StatusCode::OK {
                    failures.push(format!(
                        "GET {pattern}: fund A's own administrator got {}, the case proves nothing",
                        mine.status
                    ));
                }
                other.get(&path).await
            }
            (Case::Act(object, fields), Method::Post) => {
                let path = objects.path(pattern, object);
                let values: Vec<(&str, String)> = fields
                    .iter()
                    .map(|(name, value)| (*name, objects.value(value)))
                    .collect();
                let mut all = vec![("csrf_token", token.as_str())];
                all.extend(values.iter().map(|(name, value)| (*name, value.as_str())));
                other.post_form(&path, &all).await
            }
            (Case::List, Method::Get) => {
                let page = other.get(pattern).await;
                if page.status != StatusCode::OK {
                    failures.push(format!("GET {pattern}: {}", page.status));
                }
                let leaked = leaks(&page, &objects.markers);
                if !leaked.is_empty() {
                    failures.push(format!("GET {pattern} shows fund A's {leaked:?}"));
                }
                continue;
            }
            (Case::Submit(fields), Method::Post) => {
                let mut all = vec![("csrf_token", token.as_str())];
                all.extend_from_slice(fields);
                let page = other.post_form(pattern, &all).await;
                let leaked = leaks(&page, &objects.markers);
                let landed = page.location().unwrap_or_default();
                if page.status.is_client_error()
                    || page.status.is_server_error()
                    || !leaked.is_empty()
                    || objects.markers.iter().any(|m| landed.contains(m.as_str()))
                {
                    failures.push(format!(
                        "POST {pattern}: {} to {landed:?}, showing {leaked:?}",
                        page.status
                    ));
                }
                continue;
            }
            (case, method) => panic!("{method:?} {pattern}: case {case:?} is for another method"),
        };
        if answer.status != StatusCode::NOT_FOUND {
            failures.push(format!(
                "{method:?} {pattern}: {} instead of 404",
                answer.status
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(
        state_of(&app, &objects).await,
        before,
        "fund B changed something of fund A's"
    );
    // What fund B created stays fund B's.
    let list = owner.get("/agent/reponses-types").await;
    assert!(!list.body.contains("Réponse de l&#39;autre caisse"));
}
