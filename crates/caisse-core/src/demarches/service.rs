//! [`Demarches`]: the dossier engine's service, built once per node, and what its use cases
//! share (the catalogue, the clock, the files, the delays).

use std::sync::Arc;

use caisse_domain::c2s::C2sTable;
use caisse_domain::demarches::{Definition, DossierState, Move};
use caisse_domain::messaging::AttachmentLimits;
use caisse_domain::{CaisseCode, Fund, HolidayZone, Instant};
use caisse_store::Db;
use caisse_store::dossiers::{self as store, StoredDossier};
use time::Date;

use super::definitions::Catalogue;
use super::errors::DossierError;
use crate::blocking::BlockingPool;
use crate::clock::Clock;
use crate::files::FileStore;

/// How the engine runs.
#[derive(Clone, Debug)]
pub struct DemarchesSettings {
    /// Public base URL, for the links of mails.
    pub base_url: String,
    /// The fund's phone number, for letters.
    pub phone: String,
    /// Days a draft is kept after its last change (30).
    pub draft_days: i64,
    /// Days before a draft's expiry its notice goes (5).
    pub draft_notice_days: i64,
    /// Limits of the files of pieces: those of message attachments.
    pub attachments: AttachmentLimits,
    /// Files checked at once on a node.
    pub file_workers: usize,
    /// The dated C2S ceilings and participations (`reference/c2s_*.csv`).
    pub c2s: Arc<C2sTable>,
}

/// The C2S table of the reference files shipped in `reference/`.
///
/// # Errors
/// When a shipped file does not parse (a test keeps them clean).
pub fn shipped_c2s_table() -> Result<C2sTable, crate::claims::C2sReferenceError> {
    crate::claims::parse_c2s_reference(
        include_str!("../../../../reference/c2s_ceilings.csv"),
        include_str!("../../../../reference/c2s_participation.csv"),
    )
}

impl Default for DemarchesSettings {
    fn default() -> Self {
        DemarchesSettings {
            base_url: "http://127.0.0.1:8080".to_owned(),
            phone: "36 46".to_owned(),
            draft_days: 30,
            draft_notice_days: 5,
            attachments: AttachmentLimits::default(),
            file_workers: 2,
            // The shipped files parse (tested); an empty table only refuses C2S decisions.
            c2s: Arc::new(shipped_c2s_table().unwrap_or_else(|_| C2sTable::empty())),
        }
    }
}

/// « Mes démarches »: members' dossiers, advisors' instruction, the timed jobs.
#[derive(Clone)]
pub struct Demarches {
    pub(super) shared: Arc<Shared>,
}

pub(super) struct Shared {
    pub(super) db: Db,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) catalogue: Arc<Catalogue>,
    pub(super) files: Arc<dyn FileStore>,
    pub(super) file_pool: BlockingPool,
    pub(super) settings: DemarchesSettings,
    pub(super) c2s: Arc<C2sTable>,
}

impl Demarches {
    /// The engine over `db`, serving `catalogue`.
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        catalogue: Arc<Catalogue>,
        files: Arc<dyn FileStore>,
        settings: DemarchesSettings,
    ) -> Demarches {
        Demarches {
            shared: Arc::new(Shared {
                file_pool: BlockingPool::new(settings.file_workers.max(1)),
                c2s: settings.c2s.clone(),
                db,
                clock,
                catalogue,
                files,
                settings,
            }),
        }
    }

    /// The procedures offered, latest versions, in catalogue order.
    pub fn catalogue(&self) -> Vec<Arc<Definition>> {
        self.shared.catalogue.latest()
    }

    /// The procedures whose title, summary, category or keywords hold every word of `query`
    /// (accents and case ignored).
    pub fn search(&self, query: &str) -> Vec<Arc<Definition>> {
        let words: Vec<String> = query.split_whitespace().map(fold).collect();
        self.catalogue()
            .into_iter()
            .filter(|d| {
                let haystack = fold(&format!(
                    "{} {} {} {}",
                    d.title,
                    d.summary,
                    d.category,
                    d.keywords.join(" ")
                ));
                words.iter().all(|w| haystack.contains(w.as_str()))
            })
            .collect()
    }

    /// The latest version of procedure `code`.
    pub fn procedure(&self, code: &str) -> Option<Arc<Definition>> {
        self.shared.catalogue.current(code)
    }
}

/// A name as compared with the member file: its letters only, lowercase, without accents
/// (« Le Gall » and « LEGALL », « Hélène » and « HELENE » match).
pub(super) fn folded_name(name: &str) -> String {
    fold(name).chars().filter(|c| c.is_alphabetic()).collect()
}

/// Lowercase without accents, for the catalogue's search.
fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            other => other,
        })
        .collect()
}

impl Shared {
    pub(super) fn now(&self) -> Instant {
        Instant::from(self.clock.now())
    }

    pub(super) fn today(&self) -> Date {
        caisse_domain::paris_time::paris_time(self.clock.now()).date()
    }

    pub(super) fn base_url(&self) -> &str {
        self.settings.base_url.trim_end_matches('/')
    }

    /// The definition a dossier was opened with.
    pub(super) fn definition_of(
        &self,
        dossier: &StoredDossier,
    ) -> Result<Arc<Definition>, DossierError> {
        self.catalogue
            .version(&dossier.procedure, dossier.version)
            .ok_or(DossierError::UnknownProcedure)
    }

    /// The state `dossier` reaches by `step`, or [`DossierError::WrongState`].
    pub(super) fn next(dossier: &StoredDossier, step: Move) -> Result<DossierState, DossierError> {
        dossier.state.after(step).ok_or(DossierError::WrongState)
    }

    /// Reads dossier `id` for a change in `tx`.
    pub(super) async fn lock<C: caisse_store::ConnectionTrait>(
        tx: &C,
        id: uuid::Uuid,
    ) -> Result<StoredDossier, DossierError> {
        store::find_for_update(tx, id)
            .await?
            .ok_or(DossierError::NotFound)
    }
}

/// The holiday calendar of fund `caisse`.
pub(super) fn zone_of(caisse: CaisseCode) -> HolidayZone {
    Fund::by_code(&caisse).calendar()
}

/// The fund's name for mails and letters.
pub(super) fn fund_name(caisse: CaisseCode) -> String {
    Fund::by_code(&caisse).name().to_owned()
}
