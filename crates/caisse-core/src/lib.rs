//! caisse-core
