//! Helpers for the inline tests.

use crate::domain::clients::ClientInput;
use crate::{Argon2Params, KdfChoice, Passphrase, Vault};

pub(crate) const PASS: &str = "lingon tavla regnbåge sextiosju";

pub(crate) fn unlocked_vault() -> (tempfile::TempDir, Vault) {
    let dir = tempfile::tempdir().unwrap();
    let (v, _rk) =
        Vault::create(&dir.path().join("v"), &Passphrase::from(PASS), KdfChoice::Fixed(Argon2Params::MINIMUM)).unwrap();
    (dir, v)
}

pub(crate) fn client(family: &str, given: &str) -> ClientInput {
    ClientInput { given_name: given.into(), family_name: family.into(), ..Default::default() }
}
