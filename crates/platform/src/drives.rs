//! Drive letters and whether each is an external disk (Windows).
//!
//! Windows' own drive type is not enough: it calls a USB stick `DRIVE_REMOVABLE` but a USB
//! hard disk `DRIVE_FIXED`, like the internal disk, and a backup disk is usually the latter. So
//! a fixed drive also counts as external when the storage stack says its device is hot-plugged
//! or sits on a USB, FireWire, SD or MMC bus — what Linux shows under `/media` and macOS under
//! `/Volumes`. Network drives, optical drives and RAM disks are never listed.
//!
//! The device descriptors are read as bytes and parsed here, rather than through the C structs,
//! because those declare Win32 `BOOLEAN`s as Rust `bool` (any byte other than 0 or 1 would be
//! undefined behaviour), and because bytes can be tested on every platform.
#![cfg_attr(not(windows), allow(dead_code))]

use std::path::PathBuf;

/// A mounted drive letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drive {
    /// Its root, `E:\`.
    pub root: PathBuf,
    /// Whether it is a disk that is plugged in rather than built in (see the module docs).
    pub external: bool,
    /// The volume label, if it has one.
    pub label: Option<String>,
    /// The file system as Windows names it: `NTFS`, `exFAT`, `FAT32`, …
    pub fs_type: Option<String>,
    /// The volume serial number as `vol` prints it (`1A2B-3C4D`), the same form Linux shows
    /// as the UUID of a FAT or exFAT volume.
    pub serial: Option<String>,
}

// Win32 values (WinBase.h, ntddstor.h); the Windows build checks them against windows-sys.
const DRIVE_REMOVABLE: u32 = 2;
const DRIVE_FIXED: u32 = 3;
const BUS_1394: i32 = 4;
const BUS_USB: i32 = 7;
const BUS_SD: i32 = 12;
const BUS_MMC: i32 = 13;

// Byte offsets in STORAGE_DEVICE_DESCRIPTOR and STORAGE_HOTPLUG_INFO (checked likewise).
const DESC_REMOVABLE_MEDIA: usize = 10;
const DESC_BUS_TYPE: usize = 28;
const HOTPLUG_MEDIA_REMOVABLE: usize = 4;
const HOTPLUG_DEVICE_HOTPLUG: usize = 6;

/// What the storage stack told about the device under a drive letter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct DeviceFacts {
    bus_type: Option<i32>,
    removable_media: bool,
    device_hotplug: bool,
}

/// Whether a drive of this Win32 drive type and these device facts is an external disk.
fn is_external(drive_type: u32, facts: DeviceFacts) -> bool {
    match drive_type {
        DRIVE_REMOVABLE => true,
        DRIVE_FIXED => {
            facts.removable_media
                || facts.device_hotplug
                || facts.bus_type.is_some_and(|b| matches!(b, BUS_USB | BUS_1394 | BUS_SD | BUS_MMC))
        }
        _ => false,
    }
}

/// `(bus type, removable media)` from the bytes of a `STORAGE_DEVICE_DESCRIPTOR`.
fn parse_device_descriptor(bytes: &[u8]) -> Option<(i32, bool)> {
    let bus = bytes.get(DESC_BUS_TYPE..DESC_BUS_TYPE + 4)?;
    let removable = *bytes.get(DESC_REMOVABLE_MEDIA)? != 0;
    Some((i32::from_le_bytes(bus.try_into().ok()?), removable))
}

/// `(media removable, device hot-plug)` from the bytes of a `STORAGE_HOTPLUG_INFO`.
fn parse_hotplug_info(bytes: &[u8]) -> Option<(bool, bool)> {
    Some((*bytes.get(HOTPLUG_MEDIA_REMOVABLE)? != 0, *bytes.get(HOTPLUG_DEVICE_HOTPLUG)? != 0))
}

/// A volume serial number as Windows and Linux print it for FAT and exFAT: `1A2B-3C4D`.
fn format_serial(serial: u32) -> String {
    format!("{:04X}-{:04X}", serial >> 16, serial & 0xFFFF)
}

/// UTF-16 up to the first NUL; `None` when empty.
fn from_wide(buf: &[u16]) -> Option<String> {
    let end = buf.iter().position(|&c| c == 0).unwrap_or(buf.len());
    (end > 0).then(|| String::from_utf16_lossy(&buf[..end]))
}

#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub use windows::list;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usb_and_hotplug_disks_are_external_internal_and_network_ones_are_not() {
        let none = DeviceFacts::default();
        let on = |bus| DeviceFacts { bus_type: Some(bus), ..none };
        assert!(is_external(DRIVE_REMOVABLE, none), "a USB stick");
        assert!(is_external(DRIVE_FIXED, on(BUS_USB)), "a USB hard disk");
        assert!(is_external(DRIVE_FIXED, on(BUS_SD)), "an SD card in a built-in reader");
        assert!(is_external(DRIVE_FIXED, DeviceFacts { device_hotplug: true, ..on(17) }), "Thunderbolt NVMe");
        assert!(!is_external(DRIVE_FIXED, on(17)), "the internal NVMe disk");
        assert!(!is_external(DRIVE_FIXED, on(11)), "an internal SATA disk");
        assert!(!is_external(DRIVE_FIXED, none), "a fixed disk the query failed on");
        for other in [0, 1, 4, 5, 6] {
            assert!(!is_external(other, on(BUS_USB)), "drive type {other}: unknown, no root, remote, CD, RAM");
        }
    }

    #[test]
    fn descriptors_are_read_at_their_offsets() {
        let mut desc = [0u8; 40];
        desc[DESC_REMOVABLE_MEDIA] = 1;
        desc[DESC_BUS_TYPE..DESC_BUS_TYPE + 4].copy_from_slice(&BUS_USB.to_le_bytes());
        assert_eq!(parse_device_descriptor(&desc), Some((BUS_USB, true)));
        assert_eq!(parse_device_descriptor(&desc[..31]), None, "a short answer is no answer");
        let hotplug = [8, 0, 0, 0, 0, 0, 1, 0];
        assert_eq!(parse_hotplug_info(&hotplug), Some((false, true)));
        assert_eq!(parse_hotplug_info(&hotplug[..6]), None);
    }

    #[test]
    fn serials_and_names() {
        assert_eq!(format_serial(0x1A2B_3C4D), "1A2B-3C4D");
        assert_eq!(format_serial(0x0000_00FF), "0000-00FF");
        let wide: Vec<u16> = "BACKUP\0junk".encode_utf16().collect();
        assert_eq!(from_wide(&wide).as_deref(), Some("BACKUP"));
        assert_eq!(from_wide(&[0, 65]), None);
    }
}
