//! Everything in Kura that is not a shell: domain types, the Open API client, the OAuth flow,
//! secrets, the SQLite store, the sync engine, queries and exports.

pub mod api;
pub mod app;
pub mod books;
pub mod days;
pub mod export;
pub mod format;
pub mod household;
pub mod i18n;
pub mod institutions;
pub mod model;
pub mod oauth;
pub mod profile;
pub mod query;
pub mod secrets;
pub mod share;
pub mod store;
pub mod sync;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod text;
