//! The Win32 calls behind [`list`].
#![allow(unsafe_code)]

use std::fs::OpenOptions;
use std::os::windows::fs::OpenOptionsExt as _;
use std::os::windows::io::AsRawHandle as _;
use std::path::PathBuf;
use std::ptr::{from_ref, null_mut};

use windows_sys::Win32::Storage::FileSystem::{
    BusType1394, BusTypeMmc, BusTypeSd, BusTypeUsb, GetDriveTypeW, GetLogicalDrives, GetVolumeInformationW,
    FILE_SHARE_READ, FILE_SHARE_WRITE,
};
use windows_sys::Win32::System::Diagnostics::Debug::{SetThreadErrorMode, SEM_FAILCRITICALERRORS};
use windows_sys::Win32::System::Ioctl::{
    PropertyStandardQuery, StorageDeviceProperty, IOCTL_STORAGE_GET_HOTPLUG_INFO, IOCTL_STORAGE_QUERY_PROPERTY,
    STORAGE_DEVICE_DESCRIPTOR, STORAGE_HOTPLUG_INFO, STORAGE_PROPERTY_QUERY,
};
use windows_sys::Win32::System::WindowsProgramming::{DRIVE_FIXED, DRIVE_REMOVABLE};
use windows_sys::Win32::System::IO::DeviceIoControl;

use super::{format_serial, from_wide, is_external, parse_device_descriptor, parse_hotplug_info, DeviceFacts, Drive};

// The hand-written values in the parent module, which the tests there run on every platform.
const _: () = {
    use std::mem::offset_of;
    assert!(DRIVE_REMOVABLE == super::DRIVE_REMOVABLE && DRIVE_FIXED == super::DRIVE_FIXED);
    assert!(BusTypeUsb == super::BUS_USB && BusType1394 == super::BUS_1394);
    assert!(BusTypeSd == super::BUS_SD && BusTypeMmc == super::BUS_MMC);
    assert!(offset_of!(STORAGE_DEVICE_DESCRIPTOR, RemovableMedia) == super::DESC_REMOVABLE_MEDIA);
    assert!(offset_of!(STORAGE_DEVICE_DESCRIPTOR, BusType) == super::DESC_BUS_TYPE);
    assert!(offset_of!(STORAGE_HOTPLUG_INFO, MediaRemovable) == super::HOTPLUG_MEDIA_REMOVABLE);
    assert!(offset_of!(STORAGE_HOTPLUG_INFO, DeviceHotplug) == super::HOTPLUG_DEVICE_HOTPLUG);
};

/// MAX_PATH + 1, the buffer GetVolumeInformationW asks for.
const NAME_BUF: usize = 261;

/// Every removable or fixed drive letter with a readable volume, external or not. A card
/// reader without a card and an unformatted disk are left out: there is nothing to write to.
pub fn list() -> Vec<Drive> {
    let _quiet = QuietErrors::new();
    // SAFETY: takes no arguments and only returns a bitmask of drive letters.
    let mask = unsafe { GetLogicalDrives() };
    (0..26u8).filter(|i| mask & (1 << i) != 0).filter_map(|i| drive(char::from(b'A' + i))).collect()
}

fn drive(letter: char) -> Option<Drive> {
    let root = format!("{letter}:\\");
    let root_w: Vec<u16> = root.encode_utf16().chain([0]).collect();
    // SAFETY: `root_w` is a NUL-terminated UTF-16 string that outlives the call.
    let drive_type = unsafe { GetDriveTypeW(root_w.as_ptr()) };
    // Network, optical and RAM drives are never external disks, and are not even asked: a
    // network drive whose server is away can block for many seconds, an optical one spins up.
    if drive_type != DRIVE_REMOVABLE && drive_type != DRIVE_FIXED {
        return None;
    }
    let mut label = [0u16; NAME_BUF];
    let mut fs = [0u16; NAME_BUF];
    let mut serial = 0u32;
    // SAFETY: the two buffers are writable for the lengths passed; `serial` is a valid out
    // pointer; the component-length and flags pointers are optional and passed as null.
    let ok = unsafe {
        GetVolumeInformationW(
            root_w.as_ptr(),
            label.as_mut_ptr(),
            NAME_BUF as u32,
            &mut serial,
            null_mut(),
            null_mut(),
            fs.as_mut_ptr(),
            NAME_BUF as u32,
        )
    };
    if ok == 0 {
        return None;
    }
    let facts = if drive_type == DRIVE_FIXED { device_facts(letter) } else { DeviceFacts::default() };
    Some(Drive {
        root: PathBuf::from(root),
        external: is_external(drive_type, facts),
        label: from_wide(&label),
        fs_type: from_wide(&fs),
        serial: Some(format_serial(serial)),
    })
}

/// Bus type and hot-plug flags of the device under `letter`; all unknown when it cannot be
/// asked (the drive then counts as internal).
fn device_facts(letter: char) -> DeviceFacts {
    // Access 0: these two queries need no read or write right, so no administrator either.
    let Ok(volume) = OpenOptions::new()
        .access_mode(0)
        .share_mode(FILE_SHARE_READ | FILE_SHARE_WRITE)
        .open(format!(r"\\.\{letter}:"))
    else {
        return DeviceFacts::default();
    };
    let query = STORAGE_PROPERTY_QUERY {
        PropertyId: StorageDeviceProperty,
        QueryType: PropertyStandardQuery,
        AdditionalParameters: [0],
    };
    let mut facts = DeviceFacts::default();
    let mut desc = [0u8; 1024];
    if let Some(n) = ioctl(&volume, IOCTL_STORAGE_QUERY_PROPERTY, Some(&query), &mut desc) {
        if let Some((bus, removable)) = parse_device_descriptor(&desc[..n]) {
            facts.bus_type = Some(bus);
            facts.removable_media = removable;
        }
    }
    let mut hotplug = [0u8; size_of::<STORAGE_HOTPLUG_INFO>()];
    if let Some(n) = ioctl::<()>(&volume, IOCTL_STORAGE_GET_HOTPLUG_INFO, None, &mut hotplug) {
        if let Some((media_removable, device_hotplug)) = parse_hotplug_info(&hotplug[..n]) {
            facts.removable_media |= media_removable;
            facts.device_hotplug = device_hotplug;
        }
    }
    facts
}

/// One synchronous DeviceIoControl with an optional input struct; the number of bytes it
/// wrote into `out`.
fn ioctl<T>(device: &std::fs::File, code: u32, input: Option<&T>, out: &mut [u8]) -> Option<usize> {
    let (in_ptr, in_len) = match input {
        Some(t) => (from_ref(t).cast(), size_of::<T>() as u32),
        None => (std::ptr::null(), 0),
    };
    let mut written = 0u32;
    // SAFETY: the handle is open for the whole call (borrowed from `device`) and was opened
    // without FILE_FLAG_OVERLAPPED, so a null OVERLAPPED makes the call synchronous; the input
    // is a borrowed, initialised `repr(C)` struct of the size passed (or null and 0); `out` is
    // writable for its length; `written` is a valid out pointer.
    let ok = unsafe {
        DeviceIoControl(
            device.as_raw_handle(),
            code,
            in_ptr,
            in_len,
            out.as_mut_ptr().cast(),
            out.len() as u32,
            &mut written,
            null_mut(),
        )
    };
    (ok != 0).then(|| (written as usize).min(out.len()))
}

/// While alive, Windows answers "no disk in the drive" with an error code instead of a dialog.
struct QuietErrors(u32);

impl QuietErrors {
    fn new() -> Self {
        let mut old = 0;
        // SAFETY: `old` is a valid out pointer; the mode is a documented flag.
        unsafe { SetThreadErrorMode(SEM_FAILCRITICALERRORS, &mut old) };
        QuietErrors(old)
    }
}

impl Drop for QuietErrors {
    fn drop(&mut self) {
        // SAFETY: restores the mode read in `new`; the old-mode pointer is optional.
        unsafe { SetThreadErrorMode(self.0, null_mut()) };
    }
}
