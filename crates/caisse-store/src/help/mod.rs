//! Help (issue 17): each fund's FAQ, versioned ([`entries`]), and the questions asked of its
//! search and assistant with whether the answers helped ([`queries`]).

pub mod entries;
pub mod queries;
