//! The therapist's records: practice profile, clients, courses of treatment, journal entries,
//! templates and attachments, and the search screen's hits over them.

pub mod access_log;
pub mod appointments;
pub mod attachments;
pub mod client_history;
pub mod clients;
pub mod consent;
pub mod courses;
pub mod entries;
pub mod finder;
pub mod national_id;
pub mod profile;
pub mod rights;
pub mod templates;
pub(crate) mod validate;
