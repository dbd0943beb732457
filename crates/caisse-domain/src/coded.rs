//! `coded_enum!`: an enum stored as a stable text code, with `code()`, `from_code()` and `ALL`.

/// Declares an enum whose values are stored as stable text codes: `code()` gives a value's
/// code, `from_code()` reads one back (`None` for a code this version does not know) and `ALL`
/// lists every value in declaration order. A code never changes once shipped.
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident => $code:literal,
            )+
        }
    ) => {
        $(#[$meta])*
        pub enum $name {
            $(
                $(#[$variant_meta])*
                $variant,
            )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [$name; <[&str]>::len(&[$($code),+])] = [$($name::$variant),+];

            /// The stored code.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            /// The value of a stored code; `None` for a code this version does not know.
            pub fn from_code(code: &str) -> Option<$name> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

pub(crate) use coded_enum;
