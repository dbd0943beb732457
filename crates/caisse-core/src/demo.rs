//! Demo data for `caisse demo`: a realistic member file, portal accounts and staff, created
//! once in an empty database, in one transaction; the back office's teams and canned answers
//! (`back_office`); the repository's claims reference data (`reference`).

mod agenda;
mod back_office;
mod care;
mod dossiers;
mod reference;

pub use dossiers::{DOSSIERS_MEMBER_NIR, seed_dossiers};
pub use reference::REFERENCE_FILES;

use caisse_domain::messaging::local_date;
use caisse_domain::nir::compute_key;
use caisse_domain::rights::{C2sKind, CodeGestion, ExemptionNature, Period, Rate, RegimeCode};
use caisse_domain::{AccountStatus, Email, Fund, Iban, Nir, PhoneNumber, Sex, VitaleSerial};
use caisse_store::members::{self, NewBeneficiary, NewMember};
use caisse_store::outbox::{self, NewMessage};
use caisse_store::rights::{C2s, Coverage, Doctor, Exemption, Rights};
use caisse_store::{Db, TransactionTrait};
use time::{Date, Duration, Month, OffsetDateTime};

use crate::CoreError;
use crate::mails::{self, demo::AccountOpened};
use crate::passwords::PasswordHasherPool;
use crate::staff::{self, StaffDraft, StaffRole};
use crate::staff_totp::{SealingKey, TotpSecret};

/// Password of every demo member account.
pub const DEMO_MEMBER_PASSWORD: &str = "Caisse-Demo-2026";
/// Password of every demo staff account.
pub const DEMO_STAFF_PASSWORD: &str = "Agent-Demo-2026";

/// The TOTP secrets of the demo staff accounts, in base32: FIXED and published, so testers can
/// add them to an authenticator app and browser tests can compute the codes. Only `caisse demo`
/// seeds them; a real account gets a random secret when its owner enrols.
pub const DEMO_STAFF_TOTP_SECRETS: &[(&str, &str)] = &[
    ("conseiller", "CONSEILLERDEMOCAISSEDEUXMILLESIX"),
    ("superviseur", "SUPERVISEURDEMOCAISSEDEUXMILLE26"),
    ("admin", "ADMINDEMOCAISSEDEUXMILLEVINGTSIX"),
];

/// The fixed TOTP secret of a demo staff login.
pub fn demo_totp_secret(login: &str) -> Option<TotpSecret> {
    DEMO_STAFF_TOTP_SECRETS
        .iter()
        .find(|(l, _)| *l == login)
        .and_then(|(_, secret)| TotpSecret::from_base32(secret))
}

/// A login printed at start-up.
#[derive(Clone, Debug)]
pub struct DemoLogin {
    /// Who this is, in French.
    pub label: String,
    /// NIR (formatted) or staff login.
    pub identifier: String,
    /// Password.
    pub password: &'static str,
    /// For staff: the TOTP secret in base32, in groups of four.
    pub totp_secret: Option<String>,
    /// For staff: the names of their teams (empty for members).
    pub teams: Vec<String>,
}

/// What the demo database holds.
#[derive(Clone, Debug)]
pub struct DemoSummary {
    /// True when this run created the data.
    pub created: bool,
    /// Member logins.
    pub members: Vec<DemoLogin>,
    /// Staff logins.
    pub staff: Vec<DemoLogin>,
    /// An insured person without an account, to try « Créer mon compte ».
    pub newcomer: DemoNewcomer,
}

/// What « Créer mon compte » asks, for the demo member who has no account yet.
#[derive(Clone, Debug)]
pub struct DemoNewcomer {
    /// Who this is, in French.
    pub label: String,
    /// NIR, formatted.
    pub nir: String,
    /// Birth date, `JJ/MM/AAAA`.
    pub birth_date: &'static str,
    /// Carte Vitale serial number.
    pub vitale_serial: String,
    /// IBAN on file, formatted.
    pub iban: String,
}

/// Nathalie PETIT is insured by the Yvelines fund but has not opened her account: the demo
/// of registration (her file holds her carte Vitale serial and bank details, no email).
const NEWCOMER_BODY: &str = "2780978646012";
const NEWCOMER_IBAN: &str = "FR7617515900000876543210957";

/// A demo carte Vitale serial: five characters of the NIR (a Corsican department's letter
/// read as a digit, `2A` → `20`, `2B` → `21`: a serial holds only digits), then `0042`.
fn vitale_serial_of(nir: &Nir) -> Result<VitaleSerial, CoreError> {
    let digits: String = nir.as_str()[5..10]
        .chars()
        .map(|c| match c {
            'A' => '0',
            'B' => '1',
            digit => digit,
        })
        .collect();
    VitaleSerial::parse(&format!("{digits}0042"))
        .map_err(|e| CoreError::DemoSeed(format!("carte Vitale serial: {e}")))
}

/// A value of the demo data, parsed; the demo's own constants always parse.
fn demo_value<T, E: std::fmt::Display>(what: &str, parsed: Result<T, E>) -> Result<T, CoreError> {
    parsed.map_err(|e| CoreError::DemoSeed(format!("{what}: {e}")))
}

struct DemoPerson {
    body: &'static str,
    first_name: &'static str,
    last_name: &'static str,
    birth: (i32, Month, u8),
    department: &'static str,
    address: &'static str,
    postal_code: &'static str,
    city: &'static str,
    email: &'static str,
    phone: &'static str,
    iban: &'static str,
    children: &'static [(&'static str, (i32, Month, u8), &'static str)],
    rights: DemoRights,
    care: care::CareGivers,
}

/// What the demo member file says about a family's rights (issue 5). Periods that would
/// otherwise run out (C2S, ALD) are set around the day the demo is seeded.
struct DemoRights {
    /// First day of the coverage (open-ended).
    covered_since: (i32, Month, u8),
    /// The Alsace-Moselle local regime adds its layer.
    local_regime: bool,
    /// Declared médecin traitant, per rank.
    doctors: &'static [(i16, &'static str)],
    /// An ALD of the insured person, at 100 %, started that day.
    ald_since: Option<(i32, Month, u8)>,
    /// The household holds the C2S (free of charge) for a year around the seeding.
    c2s: bool,
}

/// Insured members of four funds with different calendars: Yvelines, Corse-du-Sud,
/// Bas-Rhin (Alsace-Moselle) and La Réunion. Their NIRs follow every structural rule; the keys
/// are computed, never typed.
const PEOPLE: &[DemoPerson] = &[
    DemoPerson {
        body: "1850578006084",
        first_name: "Julien",
        last_name: "MARTIN",
        birth: (1985, Month::May, 14),
        department: "78",
        address: "12 rue de la Paroisse",
        postal_code: "78000",
        city: "VERSAILLES",
        email: "julien.martin@exemple.fr",
        phone: "+33612345678",
        iban: "FR7630006000011234567890189",
        children: &[
            ("Léa", (2015, Month::March, 12), "2"),
            ("Hugo", (2018, Month::September, 30), "1"),
        ],
        rights: DemoRights {
            covered_since: (2007, Month::September, 1),
            local_regime: false,
            doctors: &[
                (1, "Dr Claire DUBOIS"),
                (2, "Dr Claire DUBOIS"),
                (3, "Dr Claire DUBOIS"),
            ],
            ald_since: None,
            c2s: false,
        },
        care: care::CareGivers {
            doctor: "10001234567",
            doctor_name: "Dr Claire DUBOIS",
            pharmacy: "780000011",
            pharmacy_name: "Pharmacie de la Paroisse",
            iban: "FR7630004000031234567890143",
        },
    },
    DemoPerson {
        body: "293122A004123",
        first_name: "Camille",
        last_name: "ROSSI",
        birth: (1993, Month::December, 2),
        department: "2A",
        address: "4 cours Napoléon",
        postal_code: "20000",
        city: "AJACCIO",
        email: "camille.rossi@exemple.fr",
        phone: "+33698765432",
        iban: "FR1420041010050500013M02606",
        children: &[],
        rights: DemoRights {
            covered_since: (2014, Month::October, 1),
            local_regime: false,
            doctors: &[(1, "Dr Jean-Baptiste SANTONI")],
            ald_since: None,
            c2s: true,
        },
        care: care::CareGivers {
            doctor: "10002345678",
            doctor_name: "Dr Jean-Baptiste SANTONI",
            pharmacy: "2A0000017",
            pharmacy_name: "Pharmacie du Cours",
            iban: "FR7630004000031234567890143",
        },
    },
    DemoPerson {
        body: "2821267482023",
        first_name: "Sophie",
        last_name: "WEBER",
        birth: (1982, Month::December, 21),
        department: "67",
        address: "8 quai des Bateliers",
        postal_code: "67000",
        city: "STRASBOURG",
        email: "sophie.weber@exemple.fr",
        phone: "+33781223344",
        iban: "FR7610278010000001234567891",
        children: &[("Emma", (2012, Month::June, 4), "2")],
        rights: DemoRights {
            covered_since: (2004, Month::January, 1),
            local_regime: true,
            doctors: &[(1, "Dr Anne MEYER"), (2, "Dr Anne MEYER")],
            ald_since: None,
            c2s: false,
        },
        care: care::CareGivers {
            doctor: "10003456781",
            doctor_name: "Dr Anne MEYER",
            pharmacy: "670000015",
            pharmacy_name: "Pharmacie des Bateliers",
            iban: "FR7630004000031234567890143",
        },
    },
    DemoPerson {
        body: "1900397411056",
        first_name: "Kévin",
        last_name: "HOARAU",
        birth: (1990, Month::March, 8),
        department: "974",
        address: "21 rue de Paris",
        postal_code: "97400",
        city: "SAINT-DENIS",
        email: "kevin.hoarau@exemple.fr",
        phone: "+262692123456",
        iban: "FR7612548029989876543210921",
        children: &[],
        rights: DemoRights {
            covered_since: (2010, Month::July, 1),
            local_regime: false,
            doctors: &[(1, "Dr Patrick PAYET")],
            ald_since: Some((2023, Month::June, 1)),
            c2s: false,
        },
        care: care::CareGivers {
            doctor: "10004567892",
            doctor_name: "Dr Patrick PAYET",
            pharmacy: "970400013",
            pharmacy_name: "Pharmacie de la rue de Paris",
            iban: "FR7630004000031234567890143",
        },
    },
];

/// The regime général (`01`, code de gestion `10`) for the demo families, in their own fund.
fn demo_rights(rights: &DemoRights, fund: &Fund, now: OffsetDateTime) -> Result<Rights, CoreError> {
    // The fund's own day, as attestations print it (UTC is a day behind around midnight).
    let today = local_date(now, fund.calendar());
    let c2s_start = today - Duration::days(60);
    let period = |from: Date, to: Option<Date>| demo_value("period", Period::new(from, to));
    Ok(Rights {
        coverages: vec![Coverage {
            regime: demo_value("régime", RegimeCode::parse("01"))?,
            code_gestion: demo_value("code de gestion", CodeGestion::parse("10"))?,
            caisse: fund.code(),
            period: period(date(rights.covered_since)?, None)?,
            local_regime: rights.local_regime,
        }],
        exemptions: rights
            .ald_since
            .map(|since| {
                Ok::<_, CoreError>(Exemption {
                    rank: 1,
                    nature: ExemptionNature::Ald,
                    rate: demo_value("rate", Rate::from_percent(100))?,
                    // ALD exemptions are granted for a few years and renewed.
                    period: period(date(since)?, Some(today + Duration::days(3 * 365)))?,
                })
            })
            .transpose()?
            .into_iter()
            .collect(),
        doctors: rights
            .doctors
            .iter()
            .map(|(rank, name)| Doctor {
                rank: *rank,
                name: (*name).to_owned(),
                declared_on: None,
            })
            .collect(),
        c2s: if rights.c2s {
            // The C2S is granted for twelve months.
            vec![C2s {
                kind: C2sKind::SansParticipation,
                period: period(c2s_start, Some(c2s_start + Duration::days(364)))?,
            }]
        } else {
            Vec::new()
        },
    })
}

const STAFF: &[(&str, &str, StaffRole)] = &[
    ("conseiller", "Marie Lefebvre", StaffRole::Conseiller),
    ("superviseur", "Thomas Garnier", StaffRole::Superviseur),
    ("admin", "Nadia Benali", StaffRole::Administrateur),
];

fn date((year, month, day): (i32, Month, u8)) -> Result<Date, CoreError> {
    demo_value("date", Date::from_calendar_date(year, month, day))
}

fn nir_of(body: &str) -> Result<Nir, CoreError> {
    let key = compute_key(body).ok_or_else(|| CoreError::DemoSeed(format!("NIR body {body}")))?;
    demo_value("NIR", Nir::parse(&format!("{body}{key:02}")))
}

/// The demo's fund (the staff's and most members'): the one of the Yvelines.
#[must_use]
pub fn demo_fund() -> Option<caisse_domain::CaisseCode> {
    fund_in("78").ok().map(Fund::code)
}

fn fund_in(department: &str) -> Result<&'static Fund, CoreError> {
    Fund::in_department(department)
        .next()
        .ok_or_else(|| CoreError::DemoSeed(format!("no fund in department {department}")))
}

/// Fills an empty database with the demo data; leaves a non-empty one untouched. The staff
/// accounts get the fixed [`DEMO_STAFF_TOTP_SECRETS`], sealed with `sealing`.
///
/// # Errors
/// When the database or hashing fails.
pub async fn seed(
    db: &Db,
    hasher: &PasswordHasherPool,
    sealing: &SealingKey,
    now: OffsetDateTime,
) -> Result<DemoSummary, CoreError> {
    let newcomer_nir = nir_of(NEWCOMER_BODY)?;
    let mut summary = DemoSummary {
        created: false,
        members: Vec::new(),
        staff: Vec::new(),
        newcomer: DemoNewcomer {
            label: format!("Nathalie PETIT ({})", fund_in("78")?.name()),
            nir: newcomer_nir.formatted(),
            birth_date: "03/09/1978",
            vitale_serial: vitale_serial_of(&newcomer_nir)?.as_str().to_owned(),
            iban: demo_value("IBAN", Iban::parse(NEWCOMER_IBAN))?.formatted(),
        },
    };
    for person in PEOPLE {
        let nir = nir_of(person.body)?;
        let fund = fund_in(person.department)?;
        summary.members.push(DemoLogin {
            label: format!(
                "{} {} ({})",
                person.first_name,
                person.last_name,
                fund.name()
            ),
            identifier: nir.formatted(),
            password: DEMO_MEMBER_PASSWORD,
            totp_secret: None,
            teams: Vec::new(),
        });
    }
    for (login, name, role) in STAFF {
        summary.staff.push(DemoLogin {
            label: format!("{name}, {}", role.label_fr().to_lowercase()),
            identifier: (*login).to_owned(),
            password: DEMO_STAFF_PASSWORD,
            totp_secret: demo_totp_secret(login).map(|s| s.base32_grouped()),
            teams: back_office::teams_of(login),
        });
    }
    let staff_caisse = fund_in("78")?.code();
    reference::seed(db, now).await?;
    if members::count(db).await? > 0 {
        reseal_staff_secrets(db, sealing).await?;
        // A demo database made before teams existed gets them now.
        if caisse_store::teams::of_fund(db, staff_caisse)
            .await?
            .is_empty()
            && caisse_store::staff::by_login(db, "conseiller")
                .await?
                .is_some()
        {
            let txn = db.begin().await?;
            back_office::seed(&txn, staff_caisse, now).await?;
            agenda::seed(&txn, staff_caisse).await?;
            txn.commit().await?;
        }
        return Ok(summary);
    }

    let txn = db.begin().await?;
    for person in PEOPLE {
        let nir = nir_of(person.body)?;
        let fund = fund_in(person.department)?;
        let email = demo_value("email", Email::parse(person.email))?;
        let beneficiaries = person
            .children
            .iter()
            .enumerate()
            .map(|(i, (first_name, birth, sex))| {
                Ok(NewBeneficiary {
                    rank: i16::try_from(i + 2).unwrap_or(i16::MAX),
                    last_name: person.last_name.to_owned(),
                    first_name: (*first_name).to_owned(),
                    birth_date: date(*birth)?,
                    sex: Sex::from_code(sex)
                        .ok_or_else(|| CoreError::DemoSeed(format!("sex {sex}")))?,
                })
            })
            .collect::<Result<Vec<_>, CoreError>>()?;
        let member_id = members::insert(
            &txn,
            NewMember {
                last_name: person.last_name.to_owned(),
                usage_name: None,
                first_name: person.first_name.to_owned(),
                birth_date: date(person.birth)?,
                sex: nir.sex(),
                caisse_code: fund.code(),
                vitale_serial: Some(vitale_serial_of(&nir)?),
                address_line1: person.address.to_owned(),
                address_line2: None,
                postal_code: person.postal_code.to_owned(),
                city: person.city.to_owned(),
                email: Some(email.clone()),
                phone: Some(demo_value("phone", PhoneNumber::parse(person.phone))?),
                iban: Some(demo_value("IBAN", Iban::parse(person.iban))?),
                nir,
            },
            beneficiaries,
            now,
        )
        .await?;
        caisse_store::rights::insert(&txn, member_id, demo_rights(&person.rights, fund, now)?)
            .await?;
        let hash = hasher.hash(DEMO_MEMBER_PASSWORD).await?;
        members::create_account(&txn, member_id, hash, AccountStatus::Active, now).await?;
        let text = mails::mail(&AccountOpened {
            first_name: person.first_name,
            fund: fund.name(),
        })?;
        outbox::enqueue(
            &txn,
            NewMessage::email(&email, text.subject, text.body, Some(&fund.code())),
            now,
        )
        .await?;
    }
    let newcomer_id = members::insert(
        &txn,
        NewMember {
            last_name: "PETIT".to_owned(),
            usage_name: None,
            first_name: "Nathalie".to_owned(),
            birth_date: date((1978, Month::September, 3))?,
            sex: Sex::Female,
            caisse_code: staff_caisse,
            vitale_serial: Some(vitale_serial_of(&newcomer_nir)?),
            address_line1: "5 avenue de Paris".to_owned(),
            address_line2: None,
            postal_code: "78000".to_owned(),
            city: "VERSAILLES".to_owned(),
            email: None,
            phone: None,
            iban: Some(demo_value("IBAN", Iban::parse(NEWCOMER_IBAN))?),
            nir: newcomer_nir,
        },
        Vec::new(),
        now,
    )
    .await?;
    caisse_store::rights::insert(
        &txn,
        newcomer_id,
        demo_rights(
            &DemoRights {
                covered_since: (2000, Month::September, 1),
                local_regime: false,
                doctors: &[],
                ald_since: None,
                c2s: false,
            },
            fund_in("78")?,
            now,
        )?,
    )
    .await?;
    for (login, name, role) in STAFF {
        let id = staff::create(
            &txn,
            hasher,
            StaffDraft {
                login: (*login).to_owned(),
                display_name: (*name).to_owned(),
                email: None,
                role: *role,
                caisse: staff_caisse,
                password: DEMO_STAFF_PASSWORD.to_owned(),
            },
            now,
        )
        .await
        .map_err(|e| CoreError::DemoSeed(format!("staff {login}: {e}")))?;
        let secret = demo_totp_secret(login)
            .ok_or_else(|| CoreError::DemoSeed(format!("TOTP secret of {login}")))?;
        caisse_store::staff::set_totp_secret_if_unset(&txn, id, sealing.seal(&secret, id)?, None)
            .await?;
    }
    back_office::seed(&txn, staff_caisse, now).await?;
    agenda::seed(&txn, staff_caisse).await?;
    txn.commit().await?;
    summary.created = true;
    Ok(summary)
}

/// Gives the demo families a year of care through the claims engine (`care.rs`), once: a
/// database that has care sheets already is left as it is. `caisse demo` calls it after
/// [`seed`]; the suites that only need the people do not (it takes seconds).
///
/// # Errors
/// When the database fails or a generated lot is refused (a bug).
pub async fn seed_care(db: &Db, now: OffsetDateTime) -> Result<u64, CoreError> {
    if !caisse_store::claims::sheets::count_by_state(db)
        .await?
        .is_empty()
    {
        return Ok(0);
    }
    let families = PEOPLE
        .iter()
        .map(|person| {
            Ok(care::Family {
                nir: nir_of(person.body)?,
                caisse: fund_in(person.department)?.code(),
                children: (2..).take(person.children.len()).collect(),
                ald: person.rights.ald_since.is_some(),
                givers: &person.care,
                arret: person.department == "67",
                owes_last_pharmacy: person.department == "67",
            })
        })
        .collect::<Result<Vec<_>, CoreError>>()?;
    care::seed(db, &families, now).await
}

/// A demo database may outlive the key its secrets were sealed with (a PostgreSQL database
/// reused with a new data directory): the fixed secrets of the demo staff are sealed again under
/// the current key, so the published ones keep working. A secret an administrator cleared stays
/// cleared (its owner enrols).
async fn reseal_staff_secrets(db: &Db, sealing: &SealingKey) -> Result<(), CoreError> {
    for (login, _, _) in STAFF {
        let Some(row) = caisse_store::staff::by_login(db, login).await? else {
            continue;
        };
        let Some(sealed) = &row.totp_secret else {
            continue;
        };
        if sealing.open(sealed, row.id).is_ok() {
            continue;
        }
        if let Some(secret) = demo_totp_secret(login) {
            caisse_store::staff::reseal_totp_secret(db, row.id, sealing.seal(&secret, row.id)?)
                .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_staff_user_has_a_fixed_160_bit_secret() {
        for (login, _, _) in STAFF {
            let secret = demo_totp_secret(login).unwrap();
            assert_eq!(secret.base32().len(), 32, "{login}: 20 bytes");
        }
        assert_eq!(DEMO_STAFF_TOTP_SECRETS.len(), STAFF.len());
    }

    #[test]
    fn every_demo_nir_is_valid_and_not_temporary() {
        for person in PEOPLE {
            let nir = nir_of(person.body).unwrap();
            assert!(!nir.is_temporary());
            assert!(fund_in(person.department).is_ok(), "{}", person.department);
        }
        assert_eq!(nir_of("1850578006084").unwrap().as_str(), "185057800608491");
        assert_eq!(nir_of("293122A004123").unwrap().as_str(), "293122A00412317");
        assert!(!nir_of(NEWCOMER_BODY).unwrap().is_temporary());
        assert!(caisse_domain::Iban::parse(NEWCOMER_IBAN).is_ok());
        for person in PEOPLE {
            assert!(
                caisse_domain::Iban::parse(person.iban).is_ok(),
                "{}",
                person.iban
            );
        }
    }

    #[test]
    fn every_demo_contact_and_serial_parses() {
        for person in PEOPLE {
            assert!(Email::parse(person.email).is_ok(), "{}", person.email);
            assert!(PhoneNumber::parse(person.phone).is_ok(), "{}", person.phone);
            let serial = vitale_serial_of(&nir_of(person.body).unwrap()).unwrap();
            assert_eq!(serial.as_str().len(), 9);
        }
        assert_eq!(
            vitale_serial_of(&nir_of("293122A004123").unwrap())
                .unwrap()
                .as_str(),
            "200040042",
            "Corsica's letter read as a digit"
        );
        assert_eq!(
            vitale_serial_of(&nir_of("1850578006084").unwrap())
                .unwrap()
                .as_str(),
            "780060042",
            "unchanged where the NIR has only digits"
        );
    }
}
