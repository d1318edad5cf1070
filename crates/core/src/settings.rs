//! Device settings kept next to the vault in `settings.json`.
//!
//! The file is plaintext so the lock screen can read it (language, auto-lock) and so an
//! unattended backup can find its target before anything is unlocked. It therefore holds no
//! personal data and no secrets: only preferences and a backup target's folder and volume
//! identity. It is written atomically; unknown fields are ignored (a newer Confidant may add
//! some), missing ones take their defaults, and a damaged file reads as the defaults rather
//! than keeping someone out of their journal.

use crate::Reason;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::domain::profile::Language;
use crate::keys::pin::QuickUnlockRule;
use crate::{Error, Result, Vault};

/// The settings file inside a vault folder.
pub const SETTINGS_FILE: &str = "settings.json";

/// Allowed auto-lock delays in minutes.
pub const AUTO_LOCK_RANGE: std::ops::RangeInclusive<u32> = 1..=240;

/// Every device setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct Settings {
    /// The UI language; `None` follows the system (or the practice profile once unlocked).
    pub language: Option<Language>,
    /// Lock after this many idle minutes (1..=240, default 10).
    pub auto_lock_minutes: u32,
    /// Backup preferences.
    pub backup: BackupSettings,
    /// How long the day's PIN lasts (the PIN itself is never stored anywhere).
    pub quick_unlock: QuickUnlockRule,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            language: None,
            auto_lock_minutes: 10,
            backup: BackupSettings::default(),
            quick_unlock: QuickUnlockRule::default(),
        }
    }
}

/// Backup preferences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct BackupSettings {
    /// The remembered backup folder and the volume it lives on.
    pub target: Option<BackupTarget>,
    /// Back up automatically when the target appears and a backup is due.
    pub auto: bool,
    /// A backup is due this many hours after the last verified one (1..=8760, default 24).
    pub interval_hours: u32,
    /// Remind when there has been no verified backup for this many days (1..=365, default 7).
    pub reminder_days: u32,
    /// Which old backups to keep.
    pub retention: Retention,
}

impl Default for BackupSettings {
    fn default() -> Self {
        BackupSettings {
            target: None,
            auto: true,
            interval_hours: 24,
            reminder_days: 7,
            retention: Retention::default(),
        }
    }
}

/// A remembered backup folder. The folder is found again by volume identity when a removable
/// disk is mounted somewhere else, so `path` is only the last place it was seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BackupTarget {
    /// The folder the backups were last written to.
    pub path: PathBuf,
    /// The random id in the folder's `.confidant-target` marker file.
    pub marker_id: String,
    /// The file system UUID of the volume, when the OS exposes one.
    #[serde(default)]
    pub volume_uuid: Option<String>,
    /// The folder inside the volume (relative to its mount point), to find it on a remount.
    #[serde(default)]
    pub relative_path: Option<PathBuf>,
    /// A label to show (the volume name or the folder name).
    #[serde(default)]
    pub label: String,
}

/// How many backups to keep in each bucket. A backup is kept if it is among the newest
/// `daily` distinct days, `weekly` distinct ISO weeks or `monthly` distinct months (the newest
/// backup of each day/week/month represents it). The newest verified backup is always kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct Retention {
    /// Last N days with a backup (0..=366, default 7).
    pub daily: u32,
    /// Last N weeks with a backup (0..=520, default 4).
    pub weekly: u32,
    /// Last N months with a backup (0..=600, default 12).
    pub monthly: u32,
}

impl Retention {
    /// Whether rotation would keep nothing but the newest backup (every older one deleted).
    pub fn keeps_only_the_newest(&self) -> bool {
        self.daily == 0 && self.weekly == 0 && self.monthly == 0
    }
}

impl Default for Retention {
    fn default() -> Self {
        Retention { daily: 7, weekly: 4, monthly: 12 }
    }
}

impl Settings {
    /// Reads `settings.json` from `vault_dir`. A missing or damaged file gives the defaults;
    /// out-of-range values are replaced by their defaults. Only an unreadable file (other than
    /// missing) is an error.
    pub fn load(vault_dir: &Path) -> Result<Settings> {
        let bytes = match std::fs::read(vault_dir.join(SETTINGS_FILE)) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
            Err(e) => return Err(Error::io("read the settings")(e)),
        };
        let mut s: Settings = serde_json::from_slice(&bytes).unwrap_or_default();
        s.sanitize();
        Ok(s)
    }

    /// Validates and writes `settings.json` into `vault_dir` atomically.
    pub fn save(&self, vault_dir: &Path) -> Result<()> {
        self.validate()?;
        let json = serde_json::to_vec_pretty(self).map_err(|_| Error::Internal("settings do not serialize"))?;
        crate::fsutil::atomic_write(&vault_dir.join(SETTINGS_FILE), &json)
    }

    /// Checks every value's range; the error names the field in its serde path.
    pub fn validate(&self) -> Result<()> {
        if !AUTO_LOCK_RANGE.contains(&self.auto_lock_minutes) {
            return Err(Error::invalid("auto_lock_minutes", Reason::Range));
        }
        let b = &self.backup;
        if !(1..=8760).contains(&b.interval_hours) {
            return Err(Error::invalid("backup.interval_hours", Reason::Range));
        }
        if !(1..=365).contains(&b.reminder_days) {
            return Err(Error::invalid("backup.reminder_days", Reason::Range));
        }
        let r = &b.retention;
        if r.daily > 366 {
            return Err(Error::invalid("backup.retention.daily", Reason::Range));
        }
        if r.weekly > 520 {
            return Err(Error::invalid("backup.retention.weekly", Reason::Range));
        }
        if r.monthly > 600 {
            return Err(Error::invalid("backup.retention.monthly", Reason::Range));
        }
        if let Some(t) = &b.target {
            if t.marker_id.is_empty() || t.path.as_os_str().is_empty() {
                return Err(Error::invalid("backup.target", Reason::Required));
            }
        }
        self.quick_unlock.validate()
    }

    fn sanitize(&mut self) {
        let d = Settings::default();
        if !AUTO_LOCK_RANGE.contains(&self.auto_lock_minutes) {
            self.auto_lock_minutes = d.auto_lock_minutes;
        }
        let b = &mut self.backup;
        if !(1..=8760).contains(&b.interval_hours) {
            b.interval_hours = d.backup.interval_hours;
        }
        if !(1..=365).contains(&b.reminder_days) {
            b.reminder_days = d.backup.reminder_days;
        }
        let r = &mut b.retention;
        r.daily = r.daily.min(366);
        r.weekly = r.weekly.min(520);
        r.monthly = r.monthly.min(600);
        if b.target.as_ref().is_some_and(|t| t.marker_id.is_empty() || t.path.as_os_str().is_empty()) {
            b.target = None;
        }
        if self.quick_unlock.validate().is_err() {
            self.quick_unlock = d.quick_unlock;
        }
    }
}

impl Vault {
    /// The device settings of this vault (readable while locked).
    pub fn settings(&self) -> Result<Settings> {
        Settings::load(self.dir())
    }

    /// Validates and saves the device settings. While locked (the language picker on the lock
    /// screen) only the language and the auto-lock minutes may change; the backup target changes
    /// only through [`Vault::set_backup_target`], which writes its marker, never through here.
    pub fn update_settings(&mut self, s: &Settings) -> Result<()> {
        self.update_settings_confirmed(s, false)
    }

    /// [`Vault::update_settings`]; a rotation that keeps only the newest backup (so the next
    /// backup deletes every older one) is refused with `needs_confirmation` on
    /// `backup.retention` unless `confirmed`: the person was asked.
    pub fn update_settings_confirmed(&mut self, s: &Settings, confirmed: bool) -> Result<()> {
        let stored = self.settings()?;
        check_change(&stored, s, self.is_unlocked())?;
        if s.backup.retention.keeps_only_the_newest() && !stored.backup.retention.keeps_only_the_newest() && !confirmed
        {
            return Err(Error::invalid("backup.retention", Reason::NeedsConfirmation));
        }
        s.save(self.dir())?;
        // Any change of the quick unlock's rule forgets the day's PIN, so a PIN never lasts
        // longer than the rule in force says.
        if s.quick_unlock != stored.quick_unlock {
            self.forget_quick_unlock();
        }
        Ok(())
    }

    /// Saves settings the core itself derived (a new target, a disk that remounted elsewhere).
    pub(crate) fn save_settings(&mut self, s: &Settings) -> Result<()> {
        s.save(self.dir())
    }
}

/// What a settings change from a front end may touch: never the backup target (its own
/// command picks it), and without an unlocked vault nothing but the language and auto-lock, so
/// a locked app cannot be made to send the next backup somewhere else or keep fewer of them.
pub(crate) fn check_change(stored: &Settings, next: &Settings, unlocked: bool) -> Result<()> {
    if next.backup.target != stored.backup.target {
        return Err(Error::invalid("backup.target", Reason::NotChosen));
    }
    // The quick unlock's rule too: from the lock screen nobody may turn it back on.
    if !unlocked && (next.backup != stored.backup || next.quick_unlock != stored.quick_unlock) {
        return Err(Error::Locked);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Code;

    #[test]
    fn missing_file_gives_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let s = Settings::load(dir.path()).unwrap();
        assert_eq!(s, Settings::default());
        assert_eq!(s.auto_lock_minutes, 10);
        assert_eq!(s.backup.interval_hours, 24);
        assert_eq!(s.backup.reminder_days, 7);
        assert_eq!(s.backup.retention, Retention { daily: 7, weekly: 4, monthly: 12 });
        assert!(s.language.is_none());
    }

    #[test]
    fn save_load_round_trip_is_private_and_atomic() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Settings { language: Some(Language::Sv), auto_lock_minutes: 30, ..Default::default() };
        s.backup.target = Some(BackupTarget {
            path: dir.path().join("disk"),
            marker_id: "abc".into(),
            volume_uuid: Some("1234-ABCD".into()),
            relative_path: Some("backups".into()),
            label: "USB".into(),
        });
        s.save(dir.path()).unwrap();
        assert_eq!(Settings::load(dir.path()).unwrap(), s);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temp files left");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(SETTINGS_FILE)).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0);
        }
    }

    #[test]
    fn unknown_fields_ignored_missing_fields_default() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(SETTINGS_FILE), br#"{"language":"da","future":1,"backup":{"auto":false}}"#)
            .unwrap();
        let s = Settings::load(dir.path()).unwrap();
        assert_eq!(s.language, Some(Language::Da));
        assert!(!s.backup.auto);
        assert_eq!(s.auto_lock_minutes, 10);
        assert_eq!(s.backup.retention, Retention::default());
    }

    #[test]
    fn damaged_or_out_of_range_file_reads_as_defaults() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(SETTINGS_FILE), b"{not json").unwrap();
        assert_eq!(Settings::load(dir.path()).unwrap(), Settings::default());
        std::fs::write(dir.path().join(SETTINGS_FILE), br#"{"auto_lock_minutes":0,"backup":{"reminder_days":9999}}"#)
            .unwrap();
        let s = Settings::load(dir.path()).unwrap();
        assert_eq!(s.auto_lock_minutes, 10);
        assert_eq!(s.backup.reminder_days, 7);
    }

    #[test]
    fn invalid_values_are_refused_and_file_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        Settings::default().save(dir.path()).unwrap();
        let before = std::fs::read(dir.path().join(SETTINGS_FILE)).unwrap();
        let s = Settings { auto_lock_minutes: 241, ..Default::default() };
        let e = s.save(dir.path()).unwrap_err();
        assert_eq!(e.code(), Code::Validation);
        assert_eq!(e.to_ipc().field.unwrap().field, "auto_lock_minutes");
        let mut s = Settings::default();
        s.backup.interval_hours = 0;
        assert_eq!(s.save(dir.path()).unwrap_err().to_ipc().field.unwrap().field, "backup.interval_hours");
        assert_eq!(std::fs::read(dir.path().join(SETTINGS_FILE)).unwrap(), before);
    }

    #[test]
    fn vault_settings_work_locked_and_unlocked() {
        let dir = tempfile::tempdir().unwrap();
        let vdir = dir.path().join("v");
        let (mut v, _rk) = Vault::create(
            &vdir,
            &crate::Passphrase::from("lingon tavla regnbåge sextiosju"),
            crate::KdfChoice::Fixed(crate::Argon2Params::MINIMUM),
        )
        .unwrap();
        let mut s = v.settings().unwrap();
        s.language = Some(Language::Sv);
        v.update_settings(&s).unwrap();
        v.lock();
        let mut v = Vault::open(&vdir).unwrap();
        assert_eq!(v.settings().unwrap().language, Some(Language::Sv));
        s.auto_lock_minutes = 5;
        v.update_settings(&s).unwrap();
        assert_eq!(v.settings().unwrap(), s);
    }

    #[test]
    fn keeping_only_the_newest_backup_needs_confirmation() {
        let (_dir, mut v) = crate::testing::unlocked_vault();
        let mut s = v.settings().unwrap();
        s.backup.retention = Retention { daily: 0, weekly: 0, monthly: 0 };
        let e = v.update_settings(&s).unwrap_err();
        assert!(
            matches!(&e, Error::Validation(f) if f.field == "backup.retention" && f.reason == Reason::NeedsConfirmation)
        );
        assert_eq!(v.settings().unwrap().backup.retention, Retention::default(), "nothing saved");
        v.update_settings_confirmed(&s, true).unwrap();
        assert!(v.settings().unwrap().backup.retention.keeps_only_the_newest());
        // Already so: other changes need no new confirmation.
        s.auto_lock_minutes = 5;
        v.update_settings(&s).unwrap();
        // Keeping one daily backup besides the newest is an ordinary change.
        s.backup.retention.daily = 1;
        v.update_settings(&s).unwrap();
    }

    #[test]
    fn locked_only_language_and_auto_lock_change_and_the_target_never_through_here() {
        let (dir, mut v) = crate::testing::unlocked_vault();
        let vdir = v.dir().to_owned();
        let usb = dir.path().join("usb");
        std::fs::create_dir(&usb).unwrap();
        v.set_backup_target(&usb).unwrap();
        let stored = v.settings().unwrap();
        // Unlocked: rotation may change; a target typed into the settings may not.
        let mut s = stored.clone();
        s.backup.retention.daily = 3;
        v.update_settings(&s).unwrap();
        let mut moved = s.clone();
        moved.backup.target.as_mut().unwrap().path = dir.path().join("elsewhere");
        let e = v.update_settings(&moved).unwrap_err();
        assert!(
            matches!(&e, Error::Validation(f) if f.field == "backup.target" && f.reason == Reason::NotChosen),
            "{e:?}"
        );
        v.lock();
        // Locked: language and auto-lock only; nothing else is saved.
        let before = std::fs::read(vdir.join(SETTINGS_FILE)).unwrap();
        let mut fewer = s.clone();
        fewer.backup.retention.daily = 1;
        assert!(matches!(v.update_settings(&fewer), Err(Error::Locked)));
        let mut off = s.clone();
        off.backup.auto = false;
        assert!(matches!(v.update_settings(&off), Err(Error::Locked)));
        assert_eq!(std::fs::read(vdir.join(SETTINGS_FILE)).unwrap(), before, "nothing changed");
        let mut lang = s.clone();
        lang.language = Some(Language::Da);
        lang.backup = v.settings().unwrap().backup;
        lang.auto_lock_minutes = 3;
        v.update_settings(&lang).unwrap();
        assert_eq!(v.settings().unwrap(), lang);
    }
}
