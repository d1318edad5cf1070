//! What a build of Confidant is: shown by `confidant --version` and the app's About, so a
//! therapist (or whoever helps them) can say exactly which build they run. See `build.rs` for
//! where the commit and the date come from.

#![forbid(unsafe_code)]

/// The version (`0.1.0`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The commit the build was made from (12 hex digits), or `unknown` without git.
pub const COMMIT: &str = env!("CONFIDANT_COMMIT");
/// The commit's day (YYYY-MM-DD), or `SOURCE_DATE_EPOCH`'s when set.
pub const BUILD_DATE: &str = env!("CONFIDANT_BUILD_DATE");
/// One line for `--version`: `0.1.0 (commit 0123456789ab, 2026-12-03)`.
pub const LINE: &str =
    concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("CONFIDANT_COMMIT"), ", ", env!("CONFIDANT_BUILD_DATE"), ")");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_names_version_commit_and_day() {
        assert!(LINE.starts_with(VERSION));
        assert!(LINE.contains(COMMIT) && LINE.contains(BUILD_DATE));
        assert!(COMMIT == "unknown" || (COMMIT.len() == 12 && COMMIT.chars().all(|c| c.is_ascii_hexdigit())));
        let day = BUILD_DATE.as_bytes();
        assert!(BUILD_DATE == "unknown" || (day.len() == 10 && day[4] == b'-' && day[7] == b'-'), "{BUILD_DATE}");
    }
}
