//! Key lifecycle commands: re-key and the successor (custodian) key.

use anyhow::bail;
use confidant_core::keys::successor::{self, SuccessorKind, SuccessorTo};
use confidant_core::rekey::{RekeyReason, RekeyRequest};
use confidant_core::{CancelToken, JobCtl, KdfChoice};

use crate::args::{RekeyWhy, SuccessorAction};
use crate::backupcmd::Meter;
use crate::prompt::Ctx;

pub fn rekey(ctx: &Ctx, why: RekeyWhy, progress: bool) -> anyhow::Result<()> {
    let mut v = ctx.unlock()?;
    println!("Renewing the vault's keys. Answer with your current passphrase (or recovery key).");
    let current = ctx.credential()?;
    let reason = match why {
        RekeyWhy::PassphraseKnown => RekeyReason::PassphraseKnown,
        RekeyWhy::RecoveryLost => RekeyReason::RecoveryLost,
    };
    let keeps_passphrase = !reason.new_passphrase_required(&current);
    let new = if keeps_passphrase { None } else { Some(ctx.new_passphrase("New passphrase: ")?) };
    let req = RekeyRequest { reason, current: &current, new_passphrase: new.as_ref(), kdf: KdfChoice::Calibrate };
    let mut meter = Meter::new(progress);
    let out = {
        let mut ctl = JobCtl::new(CancelToken::new(), |p| meter.update(p)).unthrottled();
        v.rekey(&req, &mut ctl)
    };
    meter.done();
    let out = out?;
    println!("The vault now has a new key. What changed:");
    if keeps_passphrase {
        println!("  - your passphrase stays the same;");
    } else {
        println!("  - only the new passphrase opens the vault;");
    }
    println!("  - the old recovery key no longer opens it: the new one is below;");
    println!("  - backups made from now on open only with the new key and its passphrase or recovery key.");
    println!("What did not change: backups made before today still open with the passphrase and recovery");
    println!("key of their day. If someone may have those, destroy the old backups (make a new one first).");
    if out.remembered {
        println!("This computer still remembers the vault (with a new key in the system keyring).");
    }
    if out.successor_kept {
        println!("The successor (custodian) key was carried over: it opens the vault and new backups.");
    }
    if out.successor_removed {
        println!("The successor slot was protected by the custodian's passphrase, which Confidant cannot");
        println!("re-use: it was removed. Add it again with `confidant successor set`.");
    }
    println!();
    crate::vaultcmd::print_recovery_key(&out.recovery_key);
    Ok(())
}

pub fn successor(ctx: &Ctx, action: SuccessorAction) -> anyhow::Result<()> {
    match action {
        SuccessorAction::Keygen { out } => {
            let recipient = successor::keygen_to(&out)?;
            println!("Wrote the successor key file. Keep it safe and private: with it and a backup you can");
            println!("open the journals. Give the therapist this public key (it is not secret):");
            println!();
            println!("    {recipient}");
        }
        SuccessorAction::Set { name, recipient, passphrase } => {
            let mut v = ctx.unlock()?;
            let to = match (recipient, passphrase) {
                (Some(r), false) => SuccessorTo::X25519(r),
                (None, true) => SuccessorTo::Passphrase(ctx.new_passphrase("The custodian's passphrase: ")?),
                _ => bail!("give either --recipient or --passphrase"),
            };
            println!("Confirm with your own passphrase (or recovery key).");
            let current = ctx.credential()?;
            v.set_successor(&current, &name, &to)?;
            println!("The successor key is set. What the custodian can do with their key: open any backup made");
            println!("from now on, restore it, read and export every journal. What they cannot: open backups made");
            println!("before today, or anything without a backup or this computer. The change is in the access log.");
        }
        SuccessorAction::Show => {
            let mut v = ctx.unlock()?;
            match (v.info().successor, v.successor_name()?) {
                (None, _) => println!("No successor key is set."),
                (Some(kind), name) => {
                    let how = match kind {
                        SuccessorKind::X25519 { recipient } => format!("public key {recipient}"),
                        SuccessorKind::Passphrase => "a passphrase the custodian keeps".to_owned(),
                    };
                    println!("Successor: {} ({how})", name.unwrap_or_else(|| "(no name)".to_owned()));
                }
            }
        }
        SuccessorAction::Remove => {
            let mut v = ctx.unlock()?;
            println!("Confirm with your own passphrase (or recovery key).");
            let current = ctx.credential()?;
            v.remove_successor(&current)?;
            println!("The successor slot is removed: the custodian's key no longer opens this vault or new");
            println!("backups. Backups made while it was set still open with it.");
        }
    }
    Ok(())
}
