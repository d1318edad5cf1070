//! Where secrets come from (the terminal, or stdin for scripts) and how a vault is unlocked.

use std::cell::RefCell;
use std::io::BufRead;
use std::path::PathBuf;

use anyhow::{anyhow, bail, Context};
use confidant_core::keys::successor::SuccessorSecret;
use confidant_core::{Credential, Keyring, Passphrase, RecoveryKey, Vault};
use zeroize::Zeroizing;

pub struct Ctx {
    pub vault_dir: PathBuf,
    stdin: bool,
    pub recovery: bool,
    successor_key: Option<PathBuf>,
    successor_passphrase: bool,
    lines: RefCell<Option<std::io::Lines<std::io::StdinLock<'static>>>>,
}

impl Ctx {
    pub fn new(cli: &crate::args::Cli) -> anyhow::Result<Self> {
        let vault_dir = match &cli.vault {
            Some(v) => v.clone(),
            None => {
                confidant_core::paths::default_vault_dir().ok_or_else(|| anyhow!("no home folder; pass --vault DIR"))?
            }
        };
        Ok(Ctx {
            vault_dir,
            stdin: cli.passphrase_stdin,
            recovery: cli.recovery_key,
            successor_key: cli.successor_key.clone(),
            successor_passphrase: cli.successor_passphrase,
            lines: RefCell::new(None),
        })
    }

    /// Reads one secret: a line of stdin with --passphrase-stdin, else a hidden terminal prompt.
    pub fn secret(&self, prompt: &str) -> anyhow::Result<Zeroizing<String>> {
        if self.stdin {
            let mut lines = self.lines.borrow_mut();
            let it = lines.get_or_insert_with(|| std::io::stdin().lock().lines());
            let line = it.next().ok_or_else(|| {
                anyhow!("standard input ended before the {}", prompt.trim_end_matches([':', ' ']).to_lowercase())
            })?;
            return Ok(Zeroizing::new(line.context("could not read standard input")?));
        }
        rpassword::prompt_password(prompt)
            .map(Zeroizing::new)
            .map_err(|_| anyhow!("no terminal to ask for the passphrase; use --passphrase-stdin"))
    }

    /// A new passphrase: asked twice on a terminal, once from stdin.
    pub fn new_passphrase(&self, prompt: &str) -> anyhow::Result<Passphrase> {
        let first = self.secret(prompt)?;
        if !self.stdin {
            let verdict = Vault::check_passphrase(first.as_str());
            if !verdict.acceptable {
                bail!("the passphrase is too weak: {verdict}");
            }
            let again = self.secret("Repeat it: ")?;
            if again != first {
                bail!("the two passphrases differ; nothing was changed");
            }
        }
        Ok(Passphrase::new(first.to_string()))
    }

    /// The credential for an unlock or key change: passphrase, or recovery key with --recovery-key.
    pub fn credential(&self) -> anyhow::Result<Credential> {
        if let Some(file) = &self.successor_key {
            let text = Zeroizing::new(
                std::fs::read_to_string(file).map_err(|e| anyhow!("could not read the successor key file: {e}"))?,
            );
            return Ok(Credential::Successor(SuccessorSecret::from_identity_file(&text)?));
        }
        if self.successor_passphrase {
            let p = Passphrase::new(self.secret("Successor passphrase: ")?.to_string());
            return Ok(Credential::Successor(SuccessorSecret::Passphrase(p)));
        }
        if self.recovery {
            let text = self.secret("Recovery key: ")?;
            Ok(Credential::RecoveryKey(RecoveryKey::parse(&text)?))
        } else {
            Ok(Credential::Passphrase(Passphrase::new(self.secret("Passphrase: ")?.to_string())))
        }
    }

    /// Whether the person is the custodian (successor key or passphrase).
    pub fn custodian(&self) -> bool {
        self.successor_key.is_some() || self.successor_passphrase
    }

    /// Opens and unlocks the vault: the OS keyring first when "remember" is on, else (or when
    /// the keyring fails) the passphrase or recovery key.
    pub fn unlock(&self) -> anyhow::Result<Vault> {
        let mut v = Vault::open(&self.vault_dir)?;
        if v.info().remembered && !self.recovery && !self.custodian() {
            match Keyring::platform().and_then(|k| v.unlock_remembered(&k)) {
                Ok(_) => return Ok(v),
                Err(e) => eprintln!("note: {e}"),
            }
        }
        v.unlock(&self.credential()?)?;
        Ok(v)
    }
}
