//! Backup targets: removable volumes, the `.confidant-target` marker that identifies a chosen
//! folder wherever its disk is mounted next time, free space and file-system type.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::settings::BackupTarget;
use crate::{Error, Result};

/// The marker file written into a chosen backup folder.
pub const MARKER_FILE: &str = ".confidant-target";

/// A mounted volume a backup could go to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Volume {
    /// Where it is mounted.
    pub mount_point: PathBuf,
    /// A name to show (the volume label, else the mount folder's name).
    pub label: String,
    /// File system type (`vfat`, `exfat`, `ext4`, …) where the OS tells it.
    pub fs_type: Option<String>,
    /// File system UUID, where the OS exposes one.
    pub uuid: Option<String>,
    /// Free bytes available to this user.
    pub free_bytes: u64,
    /// Total size in bytes.
    pub total_bytes: u64,
}

/// Mounted removable volumes: Linux `/media/*` and `/run/media/*` (where the desktop mounts
/// what is plugged in); macOS `/Volumes/*` that are local, writable disks other than the boot
/// volume; Windows drive letters of external disks (USB sticks and card readers, and USB,
/// FireWire or hot-plugged hard disks), never the system drive.
pub fn list_volumes() -> Vec<Volume> {
    let mut out: Vec<Volume> = platform_mounts()
        .into_iter()
        .filter(|m| m.removable)
        .map(|m| {
            let label = m
                .label
                .clone()
                .or_else(|| m.mount_point.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| m.mount_point.display().to_string());
            Volume {
                free_bytes: fs4::available_space(&m.mount_point).unwrap_or(0),
                total_bytes: fs4::total_space(&m.mount_point).unwrap_or(0),
                mount_point: m.mount_point,
                label,
                fs_type: m.fs_type,
                uuid: m.uuid,
            }
        })
        .collect();
    out.sort_by(|a, b| a.mount_point.cmp(&b.mount_point));
    out
}

#[derive(Debug, Clone)]
struct Mount {
    mount_point: PathBuf,
    fs_type: Option<String>,
    /// The device, which only Linux needs (to find its UUID and label).
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    source: String,
    uuid: Option<String>,
    label: Option<String>,
    removable: bool,
}

#[cfg(target_os = "linux")]
fn platform_mounts() -> Vec<Mount> {
    let text = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    let by = |dir: &str| -> Vec<(String, PathBuf)> {
        std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| Some((unescape(&e.file_name().to_string_lossy()), std::fs::canonicalize(e.path()).ok()?)))
            .collect()
    };
    let uuids = by("/dev/disk/by-uuid");
    let labels = by("/dev/disk/by-label");
    parse_mountinfo(&text)
        .into_iter()
        .map(|mut m| {
            let dev = std::fs::canonicalize(&m.source).ok();
            if let Some(dev) = dev {
                m.uuid = uuids.iter().find(|(_, d)| *d == dev).map(|(u, _)| u.clone());
                m.label = labels.iter().find(|(_, d)| *d == dev).map(|(l, _)| l.clone());
            }
            m
        })
        .collect()
}

/// Every real mount under `/Volumes`. Removable: a local, writable file system that is not
/// the boot volume and that Finder shows. That leaves out network shares (as Linux's
/// `/media` does), read-only disk images such as an installer, and the folders a disk left
/// behind when it was not ejected cleanly (they sit on the boot volume). No UUID: a target on
/// a Mac is recognised by its marker alone.
#[cfg(target_os = "macos")]
fn platform_mounts() -> Vec<Mount> {
    use std::os::unix::fs::MetadataExt as _;
    // <sys/mount.h>
    const MNT_RDONLY: u32 = 0x0000_0001;
    const MNT_LOCAL: u32 = 0x0000_1000;
    const MNT_ROOTFS: u32 = 0x0000_4000;
    const MNT_DONTBROWSE: u32 = 0x0010_0000;
    let c_string = |chars: &[std::ffi::c_char]| {
        let bytes: Vec<u8> = chars.iter().map(|c| c.to_ne_bytes()[0]).take_while(|&b| b != 0).collect();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    let root_dev = std::fs::metadata("/").map(|m| m.dev()).ok();
    std::fs::read_dir("/Volumes")
        .into_iter()
        .flatten()
        .flatten()
        // The boot volume is listed as a symlink to `/`.
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| {
            let mount_point = e.path();
            let dev = std::fs::metadata(&mount_point).ok()?.dev();
            if Some(dev) == root_dev {
                return None;
            }
            let fs = rustix::fs::statfs(&mount_point).ok()?;
            let flags = fs.f_flags;
            let removable = flags & MNT_LOCAL != 0 && flags & (MNT_RDONLY | MNT_ROOTFS | MNT_DONTBROWSE) == 0;
            Some(Mount {
                label: Some(e.file_name().to_string_lossy().into_owned()),
                fs_type: Some(c_string(&fs.f_fstypename[..])),
                source: c_string(&fs.f_mntfromname[..]),
                uuid: None,
                removable,
                mount_point,
            })
        })
        .collect()
}

/// Every local drive letter with a volume (network and optical drives are not asked);
/// removable when it is an external disk and not the system drive. Its serial number stands in for the UUID (for FAT and exFAT it is the very value
/// Linux shows as one).
#[cfg(windows)]
fn platform_mounts() -> Vec<Mount> {
    let system = std::env::var("SystemDrive").unwrap_or_else(|_| "C:".into()).to_uppercase();
    confidant_platform::drives::list()
        .into_iter()
        .map(|d| {
            let is_system = d.root.to_string_lossy().to_uppercase().starts_with(&system);
            Mount {
                removable: d.external && !is_system,
                mount_point: d.root,
                fs_type: d.fs_type,
                source: String::new(),
                uuid: d.serial,
                label: d.label,
            }
        })
        .collect()
}

#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
fn platform_mounts() -> Vec<Mount> {
    Vec::new()
}

/// `\040`-style octal escapes in mountinfo and `\x20` in /dev/disk names.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 4 <= b.len() {
            let t = std::str::from_utf8(&b[i + 1..i + 4]).unwrap_or("");
            let v = if t.bytes().all(|c| (b'0'..=b'7').contains(&c)) && t.len() == 3 {
                u8::from_str_radix(t, 8).ok()
            } else if let Some(h) = t.strip_prefix('x') {
                u8::from_str_radix(h, 16).ok()
            } else {
                None
            };
            if let Some(v) = v {
                out.push(v);
                i += 4;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn parse_mountinfo(text: &str) -> Vec<Mount> {
    text.lines()
        .filter_map(|line| {
            let (left, right) = line.split_once(" - ")?;
            let mount_point = PathBuf::from(unescape(left.split(' ').nth(4)?));
            let mut r = right.split(' ');
            let fs_type = r.next()?.to_owned();
            let source = unescape(r.next().unwrap_or(""));
            let removable = mount_point.starts_with("/media/") || mount_point.starts_with("/run/media/");
            Some(Mount { mount_point, fs_type: Some(fs_type), source, uuid: None, label: None, removable })
        })
        .collect()
}

/// The mount that holds `dir` (longest mount-point prefix); on macOS only volumes under
/// `/Volumes` are known.
fn mount_of(dir: &Path) -> Option<Mount> {
    let dir = canonical(dir).ok()?;
    platform_mounts()
        .into_iter()
        .filter(|m| dir.starts_with(&m.mount_point))
        .max_by_key(|m| m.mount_point.as_os_str().len())
}

/// `std::fs::canonicalize`, but a Windows drive path comes back as `E:\Backup` rather than
/// `\\?\E:\Backup`, so that it lies under the drive root `E:\` and reads as people know it.
fn canonical(dir: &Path) -> std::io::Result<PathBuf> {
    std::fs::canonicalize(dir).map(strip_verbatim_disk)
}

fn strip_verbatim_disk(p: PathBuf) -> PathBuf {
    let Some(rest) = p.to_str().and_then(|s| s.strip_prefix(r"\\?\")) else { return p };
    let b = rest.as_bytes();
    let disk = b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' && (b.len() == 2 || b[2] == b'\\');
    if disk {
        PathBuf::from(rest)
    } else {
        p
    }
}

/// The file-system type of the folder, where the OS tells it (`vfat`, `exfat`, …).
pub(crate) fn fs_type_of(dir: &Path) -> Option<String> {
    mount_of(dir).and_then(|m| m.fs_type)
}

/// Whether a file-system type has FAT32's 4 GiB file-size limit.
pub(crate) fn is_fat32(fs_type: &str) -> bool {
    matches!(fs_type.to_ascii_lowercase().as_str(), "vfat" | "msdos" | "fat" | "fat32" | "umsdos")
}

/// Free bytes available in `dir`.
pub(crate) fn free_space(dir: &Path) -> Result<u64> {
    fs4::available_space(dir).map_err(Error::io("measure free space on the backup disk"))
}

/// Reads the marker id in `dir`, if there is a well-formed one.
pub(crate) fn read_marker(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join(MARKER_FILE)).ok()?;
    let id = text.lines().find(|l| !l.starts_with('#'))?.trim().to_owned();
    (id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())).then_some(id)
}

/// Writes a marker with a new random id unless a valid one exists; returns the id.
pub(crate) fn ensure_marker(dir: &Path) -> Result<String> {
    if let Some(id) = read_marker(dir) {
        return Ok(id);
    }
    let id = hex::encode(crate::keys::crypto::random::<16>()?);
    let text = format!("# Confidant backup folder. Keep this file: it lets Confidant find this disk again.\n{id}\n");
    crate::fsutil::atomic_write(&dir.join(MARKER_FILE), text.as_bytes()).map_err(write_error)?;
    Ok(id)
}

/// Maps a write failure in the target folder to the target errors.
pub(crate) fn write_error(e: Error) -> Error {
    match e {
        Error::Io { kind, .. } => io_kind_error(kind),
        other => other,
    }
}

pub(crate) fn io_kind_error(kind: std::io::ErrorKind) -> Error {
    use std::io::ErrorKind as K;
    match kind {
        K::ReadOnlyFilesystem | K::PermissionDenied => Error::BackupTargetReadOnly,
        K::StorageFull | K::QuotaExceeded | K::FileTooLarge => Error::BackupTargetFull { needed_mb: 0, free_mb: 0 },
        K::NotFound => Error::BackupTargetMissing,
        kind => Error::Io { op: "write the backup", kind },
    }
}

/// Makes `dir` a backup target: it must exist and be writable; writes the marker and records
/// the volume identity so [`find_target`] can find it after a remount.
pub fn make_target(dir: &Path) -> Result<BackupTarget> {
    if !dir.is_dir() {
        return Err(Error::BackupTargetMissing);
    }
    let dir = canonical(dir).map_err(|_| Error::BackupTargetMissing)?;
    let marker_id = ensure_marker(&dir)?;
    let mount = mount_of(&dir);
    let relative_path = mount.as_ref().and_then(|m| dir.strip_prefix(&m.mount_point).ok().map(Path::to_path_buf));
    let label = mount
        .as_ref()
        .filter(|m| m.removable)
        .and_then(|m| m.label.clone().or_else(|| m.mount_point.file_name().map(|n| n.to_string_lossy().into_owned())))
        .or_else(|| dir.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    Ok(BackupTarget { volume_uuid: mount.and_then(|m| m.uuid), path: dir, marker_id, relative_path, label })
}

/// Finds a remembered target: its last folder if the marker is there, else the same folder on
/// any mounted removable volume (the disk may mount elsewhere). `None` when not plugged in.
///
/// A target on a volume with a filesystem UUID is recognised by the UUID *and* the marker: a
/// stick that carries a copy of the marker file is not the therapist's backup disk.
pub fn find_target(t: &BackupTarget) -> Option<PathBuf> {
    find_target_in(t, list_volumes(), |p| mount_of(p).and_then(|m| m.uuid))
}

fn find_target_in(t: &BackupTarget, vols: Vec<Volume>, uuid_of: impl Fn(&Path) -> Option<String>) -> Option<PathBuf> {
    let ours = |p: &Path, uuid: Option<String>| {
        read_marker(p).as_deref() == Some(t.marker_id.as_str()) && (t.volume_uuid.is_none() || uuid == t.volume_uuid)
    };
    if ours(&t.path, uuid_of(&t.path)) {
        return Some(t.path.clone());
    }
    let rel = t.relative_path.clone().unwrap_or_default();
    vols.into_iter().map(|v| (v.mount_point.join(&rel), v.uuid)).find(|(p, uuid)| ours(p, uuid.clone())).map(|(p, _)| p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mountinfo_parsing_finds_removable_volumes() {
        let text = "36 35 98:0 / / rw,noatime master:1 - ext4 /dev/sda1 rw\n\
                    40 36 8:17 / /media/anna/USB\\040STICK rw,nosuid shared:5 - vfat /dev/sdb1 rw,uid=1000\n\
                    41 36 8:33 / /run/media/bo/Backup rw - exfat /dev/sdc1 rw\n";
        let m = parse_mountinfo(text);
        assert_eq!(m.len(), 3);
        assert!(!m[0].removable);
        assert_eq!(m[1].mount_point, PathBuf::from("/media/anna/USB STICK"));
        assert_eq!(m[1].fs_type.as_deref(), Some("vfat"));
        assert!(m[1].removable && m[2].removable);
        assert_eq!(m[2].fs_type.as_deref(), Some("exfat"));
        assert!(is_fat32("vfat") && is_fat32("MSDOS") && !is_fat32("exfat"));
        assert_eq!(unescape("My\\x20Disk"), "My Disk");
    }

    #[test]
    fn windows_drive_paths_lose_their_verbatim_prefix_and_nothing_else_does() {
        let s = |p: &str| strip_verbatim_disk(PathBuf::from(p)).to_string_lossy().into_owned();
        assert_eq!(s(r"\\?\E:\Backup"), r"E:\Backup");
        assert_eq!(s(r"\\?\e:\"), r"e:\");
        assert_eq!(s(r"\\?\UNC\server\share"), r"\\?\UNC\server\share", "a share keeps its form");
        assert_eq!(s(r"\\?\Volume{0d8c}\x"), r"\\?\Volume{0d8c}\x");
        assert_eq!(s("/media/anna/USB"), "/media/anna/USB");
    }

    #[test]
    fn a_copied_marker_on_another_volume_is_not_the_target() {
        let disk = tempfile::tempdir().unwrap();
        let stick = tempfile::tempdir().unwrap();
        let mut t = make_target(disk.path()).unwrap();
        t.volume_uuid = Some("1111-AAAA".into());
        t.relative_path = None;
        // The same marker file, copied onto another volume.
        std::fs::copy(disk.path().join(MARKER_FILE), stick.path().join(MARKER_FILE)).unwrap();
        let vol = |p: &Path, uuid: &str| Volume {
            mount_point: p.to_owned(),
            label: String::new(),
            fs_type: None,
            uuid: Some(uuid.into()),
            free_bytes: 0,
            total_bytes: 0,
        };
        let elsewhere = disk.path().join("gone");
        t.path = elsewhere.clone();
        // Only the stick is plugged in: not ours, whatever its marker says.
        assert_eq!(find_target_in(&t, vec![vol(stick.path(), "2222-BBBB")], |_| None), None);
        // The real disk, remounted elsewhere: found by UUID and marker.
        let found = find_target_in(&t, vec![vol(stick.path(), "2222-BBBB"), vol(disk.path(), "1111-AAAA")], |_| None);
        assert_eq!(found, Some(disk.path().to_owned()));
        // At the remembered path, the UUID is checked too.
        t.path = stick.path().to_owned();
        assert_eq!(find_target_in(&t, vec![], |_| Some("2222-BBBB".into())), None);
        assert_eq!(find_target_in(&t, vec![], |_| Some("1111-AAAA".into())), Some(stick.path().to_owned()));
    }

    #[test]
    fn marker_is_stable_and_find_target_uses_it() {
        let dir = tempfile::tempdir().unwrap();
        let t = make_target(dir.path()).unwrap();
        assert_eq!(t.marker_id.len(), 32);
        assert_eq!(make_target(dir.path()).unwrap().marker_id, t.marker_id);
        assert_eq!(find_target(&t), Some(std::fs::canonicalize(dir.path()).unwrap()));
        std::fs::remove_file(dir.path().join(MARKER_FILE)).unwrap();
        assert_eq!(find_target(&t), None, "a folder without our marker is not the target");
        assert!(matches!(make_target(&dir.path().join("nope")), Err(Error::BackupTargetMissing)));
    }
}
