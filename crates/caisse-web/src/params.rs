//! Values read from the address: the query string and the path.
//!
//! Handlers never use axum's `Query` and `Path` directly (clippy's `disallowed-types` keeps
//! it so): [`Query`] and [`Path`] here answer a value that does not parse with a French 400
//! page, and [`crate::api`] has the same pair answering problem documents. Numbers are read
//! into [`Ranged`] types ([`PageNumber`], [`FileNumber`]), so an out-of-range one is refused
//! with the rest of the address before any arithmetic (`?page=9223372036854775807` used to
//! overflow into a 500).

use std::fmt;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

use crate::error::AppError;

/// A whole number from `MIN` to `MAX`, both included; anything else does not deserialize.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ranged<const MIN: u64, const MAX: u64>(u64);

impl<const MIN: u64, const MAX: u64> Ranged<MIN, MAX> {
    /// The number, if in range.
    pub fn new(value: u64) -> Option<Self> {
        (MIN..=MAX).contains(&value).then_some(Ranged(value))
    }

    /// The number.
    pub fn get(self) -> u64 {
        self.0
    }

    /// The number as an index type (`MAX` is far below `usize::MAX` here).
    pub fn as_usize(self) -> usize {
        usize::try_from(self.0).unwrap_or(usize::MAX)
    }
}

impl<const MIN: u64, const MAX: u64> fmt::Debug for Ranged<MIN, MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<'de, const MIN: u64, const MAX: u64> Deserialize<'de> for Ranged<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = u64::deserialize(deserializer)?;
        Ranged::new(value).ok_or_else(|| D::Error::custom(format!("not in {MIN}..={MAX}")))
    }
}

/// Deepest page of any list: 100,000 pages of a few dozen rows, far past any real list, and
/// an offset every database takes.
pub const MAX_PAGE: u64 = 100_000;

/// A page number of a list, from 1 to [`MAX_PAGE`].
pub type PageNumber = Ranged<1, MAX_PAGE>;

/// The number of a file in a thread, from 1 (download links).
pub type FileNumber = Ranged<1, 10_000>;

/// The page a list shows: `page` when given, else the first.
pub fn page_or_first(page: Option<PageNumber>) -> u64 {
    page.map_or(1, PageNumber::get)
}

/// Defines `Query<T>` and `Path<T>`: axum's extractors whose rejection, for a value of the
/// address that does not deserialize, is `$bad` (of type `$rejection`). Pages and the API
/// each invoke it once, with their own answer.
macro_rules! address_extractors {
    ($rejection:ty, $bad:expr) => {
        $crate::params::address_extractors!(
            @one Query, $rejection, $bad,
            "The query string, deserialized; a value that does not fit is refused with a 400."
        );
        $crate::params::address_extractors!(
            @one Path, $rejection, $bad,
            "The path's parameters, deserialized; a value that does not fit is refused with a 400."
        );
    };
    (@one $name:ident, $rejection:ty, $bad:expr, $doc:literal) => {
        #[doc = $doc]
        pub struct $name<T>(pub T);

        #[allow(clippy::disallowed_types)]
        impl<T, S> axum::extract::FromRequestParts<S> for $name<T>
        where
            T: serde::de::DeserializeOwned + Send,
            S: Send + Sync,
        {
            type Rejection = $rejection;

            async fn from_request_parts(
                parts: &mut axum::http::request::Parts,
                state: &S,
            ) -> Result<Self, Self::Rejection> {
                axum::extract::$name::<T>::from_request_parts(parts, state)
                    .await
                    .map(|axum::extract::$name(value)| $name(value))
                    .map_err(|_| $bad)
            }
        }
    };
}

pub(crate) use address_extractors;

// Pages: the French 400 page.
address_extractors!(AppError, AppError::BadAddress);

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    struct List {
        page: Option<PageNumber>,
    }

    fn page_of(query: &str) -> Result<u64, serde_urlencoded::de::Error> {
        serde_urlencoded::from_str::<List>(query).map(|list| page_or_first(list.page))
    }

    #[test]
    fn pages_are_read_within_their_range_only() {
        assert_eq!(page_of("").unwrap(), 1);
        assert_eq!(page_of("page=1").unwrap(), 1);
        assert_eq!(page_of("page=100000").unwrap(), MAX_PAGE);
        for bad in [
            "page=0",
            "page=100001",
            "page=9223372036854775807",
            "page=18446744073709551616",
            "page=-1",
            "page=1.5",
            "page=abc",
            "page=",
        ] {
            assert!(page_of(bad).is_err(), "{bad}");
        }
    }
}
