//! Who a message is addressed to: the member's own fund, or one of its services.
//!
//! Seed A has the member pick « CPAM de [votre département] » or, for the Complémentaire
//! santé solidaire, « le service dédié » (domain.md §4.1); domain.md §4.2 routes ALD
//! questions to the service médical. Which services a fund opens to members is
//! configuration: [`Services::default_fr`] is the default, [`Services::from_rows`] builds
//! another. A member only ever writes to their own fund, so the fund is not a row: it is
//! [`Recipient::Fund`], code [`FUND_CODE`], named after the member's [`Fund`].

use super::CatalogueError;
use super::catalogue::{check_code, is_good_label};
use crate::Fund;

/// The code of [`Recipient::Fund`]; no service may use it.
pub const FUND_CODE: &str = "caisse";

/// A service of the fund that members may write to directly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    code: String,
    label: String,
}

impl Service {
    /// Returns the stable code, e.g. `"c2s"`.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// Returns the French label, e.g. « Complémentaire santé solidaire ».
    pub fn label_fr(&self) -> &str {
        &self.label
    }
}

/// The services members may write to, besides the fund itself: possibly none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Services {
    services: Vec<Service>,
}

/// The addressee of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipient<'a> {
    /// The member's fund, whose staff route the message.
    Fund,
    /// One service of the member's fund.
    Service(&'a Service),
}

impl<'a> Recipient<'a> {
    /// Returns the stable code: [`FUND_CODE`] or the service's code.
    pub fn code(&self) -> &'a str {
        match self {
            Recipient::Fund => FUND_CODE,
            Recipient::Service(service) => &service.code,
        }
    }

    /// Returns the French label: the fund's name (« CPAM de Paris ») or the service's.
    pub fn label_fr(&self, fund: &Fund) -> &'a str {
        match self {
            Recipient::Fund => fund.name(),
            Recipient::Service(service) => &service.label,
        }
    }
}

impl Services {
    /// Returns the default services: « Complémentaire santé solidaire » (seed A's
    /// « service dédié ») and « Service médical » (domain.md §4.2, a product inference).
    /// Messages to the service médical may hold medical details: who may read them is
    /// for the application to restrict.
    pub fn default_fr() -> Services {
        let services = [
            ("c2s", "Complémentaire santé solidaire"),
            ("service_medical", "Service médical"),
        ]
        .map(|(code, label)| Service {
            code: code.to_owned(),
            label: label.to_owned(),
        });
        Services {
            services: services.to_vec(),
        }
    }

    /// Builds the list from `(code, label)` rows, kept in the given order; no rows is
    /// allowed (members then write to the fund only).
    ///
    /// Returns the first problem in row order: [`CatalogueError::BadCode`] (codes are
    /// one segment: lower-case ASCII letters, digits and `_`),
    /// [`CatalogueError::ReservedCode`] for [`FUND_CODE`],
    /// [`CatalogueError::DuplicateCode`] or [`CatalogueError::BadLabel`].
    pub fn from_rows<I, S>(rows: I) -> Result<Services, CatalogueError>
    where
        I: IntoIterator<Item = (S, S)>,
        S: Into<String>,
    {
        let mut services: Vec<Service> = Vec::new();
        for (index, (code, label)) in rows.into_iter().enumerate() {
            let (code, label) = (code.into(), label.into());
            check_code(&code, false, index)?;
            if code == FUND_CODE {
                return Err(CatalogueError::ReservedCode { index });
            }
            if services.iter().any(|service| service.code == code) {
                return Err(CatalogueError::DuplicateCode { index });
            }
            if !is_good_label(&label) {
                return Err(CatalogueError::BadLabel { index });
            }
            services.push(Service { code, label });
        }
        Ok(Services { services })
    }

    /// Returns the services, in configured order.
    pub fn services(&self) -> &[Service] {
        &self.services
    }

    /// Returns every choice of the form: the fund first, then each service.
    pub fn recipients(&self) -> impl Iterator<Item = Recipient<'_>> {
        std::iter::once(Recipient::Fund).chain(self.services.iter().map(Recipient::Service))
    }

    /// Returns the recipient of `code` ([`FUND_CODE`] or a service's), or `None`: the
    /// check to apply to a code sent by a form.
    pub fn recipient(&self, code: &str) -> Option<Recipient<'_>> {
        self.recipients().find(|recipient| recipient.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CaisseCode;

    #[test]
    fn the_fund_comes_first_and_is_named_after_the_members_fund() {
        let services = Services::default_fr();
        let paris = Fund::by_code(&CaisseCode::parse("751").unwrap());
        let choices: Vec<_> = services
            .recipients()
            .map(|r| (r.code(), r.label_fr(paris)))
            .collect();
        assert_eq!(
            choices,
            [
                ("caisse", "CPAM de Paris"),
                ("c2s", "Complémentaire santé solidaire"),
                ("service_medical", "Service médical"),
            ]
        );
        assert_eq!(services.recipient("caisse"), Some(Recipient::Fund));
        assert_eq!(services.recipient("c2s").map(|r| r.code()), Some("c2s"));
        assert_eq!(services.recipient("C2S"), None);
        assert_eq!(services.recipient(""), None);
    }

    #[test]
    fn configured_services_are_checked() {
        let empty: [(&str, &str); 0] = [];
        let only_fund = Services::from_rows(empty).unwrap();
        assert_eq!(only_fund.recipients().count(), 1);
        assert_eq!(
            Services::from_rows([("a", "A"), ("caisse", "Caisse")]),
            Err(CatalogueError::ReservedCode { index: 1 })
        );
        assert_eq!(
            Services::from_rows([("a.b", "A")]),
            Err(CatalogueError::BadCode { index: 0 })
        );
        assert_eq!(
            Services::from_rows([("a", "A"), ("a", "B")]),
            Err(CatalogueError::DuplicateCode { index: 1 })
        );
        assert_eq!(
            Services::from_rows([("a", "")]),
            Err(CatalogueError::BadLabel { index: 0 })
        );
        let custom = Services::from_rows([("prevention", "Prévention")]).unwrap();
        assert_eq!(custom.services()[0].label_fr(), "Prévention");
    }
}
