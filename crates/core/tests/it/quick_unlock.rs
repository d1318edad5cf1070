//! The day's PIN through the public API: it reopens the vault in the same process only, and
//! nothing about it reaches the vault folder.

use confidant_core::{Code, Pin, QuickUnlockRule, Settings, UnlockMethod, Vault};

use crate::util::{contains_bytes, new_vault, snapshot};

/// A PIN that is a plain canary: its digits in any encoding would be found in a file.
const PIN: &str = "739158";

#[test]
fn the_pin_never_reaches_the_disk_and_opens_nothing_after_a_restart() {
    let mut f = new_vault();
    // "For 4 hours" so the test does not depend on the time of day it runs at.
    let s = Settings { quick_unlock: QuickUnlockRule::ForHours { hours: 4 }, ..f.vault.settings().unwrap() };
    f.vault.update_settings(&s).unwrap();
    f.vault.set_quick_unlock(&Pin::from(PIN)).unwrap();
    f.vault.lock();
    assert_eq!(f.vault.unlock_with_pin(&Pin::from(PIN)).unwrap(), UnlockMethod::Pin);
    f.vault.lock();

    let files = snapshot(&f.dir);
    assert!(files.contains_key("settings.json") && files.contains_key("keys.json"));
    let utf16: Vec<u8> = PIN.encode_utf16().flat_map(u16::to_le_bytes).collect();
    for (name, bytes) in &files {
        assert!(!contains_bytes(bytes, PIN.as_bytes()), "the PIN is readable in {name}");
        assert!(!contains_bytes(bytes, &utf16), "the PIN is readable (UTF-16) in {name}");
    }
    let settings = String::from_utf8(files["settings.json"].clone()).unwrap();
    assert!(!settings.to_lowercase().contains("pin"), "settings.json holds the rule only: {settings}");

    // A new process (a new Vault on the same folder) has no PIN: only the full credentials open it.
    drop(f.vault);
    let mut again = Vault::open(&f.dir).unwrap();
    let e = again.unlock_with_pin(&Pin::from(PIN)).unwrap_err();
    assert_eq!(e.code(), Code::QuickUnlockUnavailable);
    assert!(!again.is_unlocked());
    assert_eq!(snapshot(&f.dir), files, "the refused PIN changed nothing");
}
