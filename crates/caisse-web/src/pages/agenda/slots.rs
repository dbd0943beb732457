//! Slots as radio buttons grouped by local day, and the value a radio button sends: the
//! slot's start (Unix seconds) and, for a branch, the branch's id.

use caisse_core::agenda::{Motif, Site, SlotOffer};
use caisse_domain::agenda::waiting_list_applies;
use caisse_domain::french;
use time::OffsetDateTime;
use uuid::Uuid;

use super::view::{address, zone_of};

/// A slot as a form sends it back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct SlotChoice {
    pub starts_at: OffsetDateTime,
    pub site: Option<Uuid>,
}

impl SlotChoice {
    /// `1796630400`, or `1796630400.<branch id>` for a slot at a branch.
    pub(super) fn value(&self) -> String {
        let seconds = self.starts_at.unix_timestamp();
        match self.site {
            Some(site) => format!("{seconds}.{site}"),
            None => seconds.to_string(),
        }
    }

    /// The value of `offer`'s radio button.
    pub(super) fn encode(offer: &SlotOffer) -> String {
        SlotChoice {
            starts_at: offer.span.start,
            site: offer.site,
        }
        .value()
    }

    /// What [`SlotChoice::encode`] wrote, or `None` for anything else.
    pub(super) fn parse(raw: &str) -> Option<SlotChoice> {
        let (seconds, site) = match raw.trim().split_once('.') {
            Some((seconds, site)) => (seconds, Some(Uuid::parse_str(site).ok()?)),
            None => (raw.trim(), None),
        };
        let starts_at = OffsetDateTime::from_unix_timestamp(seconds.parse().ok()?).ok()?;
        Some(SlotChoice { starts_at, site })
    }
}

/// One radio button.
pub(super) struct SlotRadio {
    pub id: String,
    pub value: String,
    /// « 9 h 30 », with the branch when slots of several branches are offered.
    pub label: String,
    pub checked: bool,
}

/// The slots of one local day.
pub(super) struct SlotDay {
    /// « lundi 7 décembre 2026 ».
    pub title: String,
    pub slots: Vec<SlotRadio>,
}

/// `offers` by local day, earliest first; `chosen` (a value sent back) is checked, else the
/// first slot, which is the earliest possible.
pub(super) fn by_day(
    offers: &[SlotOffer],
    motif: &Motif,
    sites: &[Site],
    chosen: Option<&str>,
) -> Vec<SlotDay> {
    let zone = zone_of(motif);
    let several_sites = offers
        .iter()
        .filter_map(|o| o.site)
        .any(|site| offers.first().and_then(|f| f.site) != Some(site));
    let chosen = chosen.filter(|c| offers.iter().any(|o| SlotChoice::encode(o) == *c));
    let mut days: Vec<SlotDay> = Vec::new();
    for (index, offer) in offers.iter().enumerate() {
        let local = zone.local(offer.span.start);
        let title = format!(
            "{} {}",
            french::weekday_name(local.date().weekday()),
            french::letter_date(local.date())
        );
        let value = SlotChoice::encode(offer);
        let mut label = french::time_of_day(local.time());
        if several_sites
            && let Some(site) = offer.site.and_then(|id| sites.iter().find(|s| s.id == id))
        {
            label = format!("{label} – {}", address(site));
        }
        let radio = SlotRadio {
            id: format!("creneau-{}", index + 1),
            checked: chosen.map_or(index == 0, |c| c == value),
            value,
            label,
        };
        match days.last_mut() {
            Some(day) if day.title == title => day.slots.push(radio),
            _ => days.push(SlotDay {
                title,
                slots: vec![radio],
            }),
        }
    }
    days
}

/// Whether the waiting list is offered: no slot at all, or the first more than a week away.
pub(super) fn waiting_list_offered(offers: &[SlotOffer], now: OffsetDateTime) -> bool {
    offers
        .first()
        .is_none_or(|first| waiting_list_applies(first.span.start, now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use caisse_domain::agenda::Interval;
    use time::macros::datetime;

    #[test]
    fn a_slot_choice_reads_back_what_it_wrote_and_nothing_else() {
        let site = Uuid::new_v4();
        let start = datetime!(2026-12-07 08:30 UTC);
        let span = Interval {
            start,
            end: start + time::Duration::minutes(30),
        };
        for offer in [
            SlotOffer { span, site: None },
            SlotOffer {
                span,
                site: Some(site),
            },
        ] {
            let choice = SlotChoice::parse(&SlotChoice::encode(&offer)).expect("parsed");
            assert_eq!(choice.starts_at, start);
            assert_eq!(choice.site, offer.site);
        }
        for bad in ["", "abc", "12.notauuid", "99999999999999999999"] {
            assert!(SlotChoice::parse(bad).is_none(), "{bad}");
        }
    }
}
