//! caisse-web
