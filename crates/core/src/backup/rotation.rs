//! Rotation: keep the newest backup of each of the last N days, weeks and months; delete the
//! rest, but only files proven to be this vault's (name pattern and the vault id in the age
//! header's key stanza) and older than the backup that was just verified.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::{DateTime, Datelike, NaiveDateTime, Utc};
use uuid::Uuid;

use super::format::prefix;
use super::keys::peek_vault_id;
use crate::settings::Retention;

/// The time in a backup file name of this vault, if the name is ours.
pub(crate) fn parse_name(name: &str, vault_id: &Uuid) -> Option<DateTime<Utc>> {
    let rest = name.strip_prefix(&prefix(vault_id))?.strip_suffix(".age")?;
    let stamp = rest.get(..16)?;
    let tail = &rest[16..];
    if !(tail.is_empty()
        || tail.strip_prefix('-').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())))
    {
        return None;
    }
    NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%SZ").ok().map(|t| t.and_utc())
}

/// Which of `files` (name, time) to keep under `r`; `newest` is always kept.
pub(crate) fn keep_set(files: &[(String, DateTime<Utc>)], r: &Retention, newest: &str) -> BTreeSet<String> {
    let mut sorted: Vec<&(String, DateTime<Utc>)> = files.iter().collect();
    // `newest` first: two backups in the same second carry the same time (the later one gets a
    // `-N` suffix), and the one just verified must be the one a bucket keeps.
    sorted.sort_by(|a, b| (b.0 == newest).cmp(&(a.0 == newest)).then(b.1.cmp(&a.1)).then(b.0.cmp(&a.0)));
    let mut keep = BTreeSet::new();
    keep.insert(newest.to_owned());
    let mut bucket = |limit: u32, key: &dyn Fn(&DateTime<Utc>) -> (i32, u32)| {
        let mut seen = BTreeSet::new();
        for (name, t) in &sorted {
            let k = key(t);
            if seen.contains(&k) {
                continue;
            }
            if seen.len() >= limit as usize {
                break;
            }
            seen.insert(k);
            keep.insert(name.clone());
        }
    };
    bucket(r.daily, &|t| (t.year(), t.ordinal()));
    bucket(r.weekly, &|t| (t.iso_week().year(), t.iso_week().week()));
    bucket(r.monthly, &|t| (t.year(), t.month()));
    keep
}

/// Deletes superseded backups of this vault in `dir`; returns the deleted names. Never fails:
/// a file it cannot prove is ours, or cannot delete, is left alone.
pub(crate) fn rotate(dir: &Path, vault_id: &Uuid, newest: &str, r: &Retention) -> Vec<String> {
    let Some(newest_t) = parse_name(newest, vault_id) else { return Vec::new() };
    // Only files proven to be this vault's, and not newer than the one just verified, take
    // part: anything else is neither counted in a bucket nor deleted.
    let files: Vec<(String, DateTime<Utc>)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().map(|t| t.is_file()).unwrap_or(false))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let t = parse_name(&name, vault_id)?;
            (t <= newest_t && (name == newest || peek_vault_id(&e.path()) == Some(*vault_id))).then_some((name, t))
        })
        .collect();
    let keep = keep_set(&files, r, newest);
    let mut deleted = Vec::new();
    for (name, _) in &files {
        if keep.contains(name) || name == newest {
            continue;
        }
        if std::fs::remove_file(dir.join(name)).is_ok() {
            deleted.push(name.clone());
        }
    }
    if !deleted.is_empty() {
        let _ = crate::fsutil::sync_dir(dir);
    }
    deleted.sort();
    deleted
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn name(id: &Uuid, t: DateTime<Utc>) -> String {
        format!("{}{}.age", prefix(id), t.format("%Y%m%dT%H%M%SZ"))
    }

    #[test]
    fn names_parse_only_for_this_vault() {
        let id = Uuid::new_v4();
        let t = Utc.with_ymd_and_hms(2026, 11, 23, 17, 45, 1).unwrap();
        assert_eq!(parse_name(&name(&id, t), &id), Some(t));
        assert_eq!(parse_name(&name(&id, t).replace(".age", "-2.age"), &id), Some(t));
        assert_eq!(parse_name(&name(&id, t), &Uuid::new_v4()), None);
        assert_eq!(parse_name(&format!(".{}.partial", name(&id, t)), &id), None);
        assert_eq!(parse_name(&name(&id, t).replace(".age", "-x.age"), &id), None);
    }

    #[test]
    fn keeps_daily_weekly_monthly() {
        let id = Uuid::new_v4();
        let start = Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap();
        // Two backups a day for a year.
        let files: Vec<(String, DateTime<Utc>)> =
            (0..730).map(|i| start + Duration::hours(12 * i)).map(|t| (name(&id, t), t)).collect();
        let newest = files.last().unwrap().0.clone();
        let r = Retention { daily: 7, weekly: 4, monthly: 12 };
        let keep = keep_set(&files, &r, &newest);
        assert!(keep.contains(&newest));
        // 7 days + up to 4 weeks + up to 12 months, overlapping.
        assert!(keep.len() >= 12 && keep.len() <= 7 + 4 + 12, "{}", keep.len());
        let days: BTreeSet<_> = files.iter().filter(|f| keep.contains(&f.0)).map(|f| f.1.date_naive()).collect();
        assert_eq!(days.len(), keep.len(), "one per day at most");
        let none = keep_set(&files, &Retention { daily: 0, weekly: 0, monthly: 0 }, &newest);
        assert_eq!(none.len(), 1);
    }

    #[test]
    fn two_backups_in_the_same_second_keep_only_the_newest() {
        let id = Uuid::new_v4();
        let t = Utc.with_ymd_and_hms(2026, 11, 23, 19, 40, 0).unwrap();
        let first = name(&id, t);
        let second = format!("{}{}-1.age", prefix(&id), t.format("%Y%m%dT%H%M%SZ"));
        assert_eq!(parse_name(&second, &id), Some(t));
        let files = vec![(first.clone(), t), (second.clone(), t)];
        let keep = keep_set(&files, &Retention { daily: 7, weekly: 4, monthly: 12 }, &second);
        assert_eq!(keep, BTreeSet::from([second]));
    }
}
