//! The idle backstop's rule. The UI locks after the auto-lock minutes without input (saving the
//! draft first); the shell keeps its own wall-clock record of the last input the UI reported and
//! locks by itself when the UI's timer did not run (a hung or throttled webview, a clock that
//! jumped over a suspend). Wall-clock time, because a monotonic clock stops while the machine
//! sleeps: a laptop closed at 12:00 and opened at 16:00 has been idle for four hours.

use chrono::{DateTime, Duration, Utc};

/// How long after the UI's own auto-lock the backstop waits, so the UI (which saves the draft
/// being typed first) normally locks before it.
pub const BACKSTOP_GRACE_SECONDS: i64 = 60;

/// Whether the vault must be locked now: no reported input for `auto_lock_minutes` plus the
/// grace. A clock that went backwards (`now` before `last_input`) counts as input now.
pub fn lock_due(last_input: DateTime<Utc>, now: DateTime<Utc>, auto_lock_minutes: u32) -> bool {
    now - last_input >= Duration::minutes(i64::from(auto_lock_minutes)) + Duration::seconds(BACKSTOP_GRACE_SECONDS)
}

/// Seconds without reported input before the app tidies the search index
/// ([`crate::Vault::tidy_search_index`]): a pause in typing, so a key pressed meanwhile waits at
/// most one slice of merging.
pub const UPKEEP_AFTER_SECONDS: i64 = 3;

/// Whether upkeep may run now: [`UPKEEP_AFTER_SECONDS`] without input. A clock that went
/// backwards counts as input now.
pub fn upkeep_due(last_input: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - last_input >= Duration::seconds(UPKEEP_AFTER_SECONDS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn due_after_the_minutes_and_the_grace_not_before() {
        let last = t("2026-11-30T12:00:00Z");
        assert!(!lock_due(last, t("2026-11-30T12:10:59Z"), 10));
        assert!(lock_due(last, t("2026-11-30T12:11:00Z"), 10));
        assert!(lock_due(last, t("2026-11-30T16:00:00Z"), 10), "a suspend counts as idle time");
        assert!(!lock_due(last, t("2026-11-30T11:00:00Z"), 10), "a clock set back is not idle time");
        assert!(lock_due(last, t("2026-11-30T12:02:00Z"), 1));
    }

    #[test]
    fn upkeep_waits_for_a_pause_in_typing() {
        let last = t("2026-11-30T12:00:00Z");
        assert!(!upkeep_due(last, t("2026-11-30T12:00:02Z")));
        assert!(upkeep_due(last, t("2026-11-30T12:00:03Z")));
        assert!(!upkeep_due(last, t("2026-11-30T11:59:00Z")), "a clock set back is not a pause");
    }
}
