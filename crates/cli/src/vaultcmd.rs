//! Vault-level commands: init, demo, keys, remember, info, log.

use std::path::Path;

use anyhow::bail;
use confidant_core::{demo, KdfChoice, Keyring, Vault};

use crate::args::{LogAction, OnOff};
use crate::prompt::Ctx;
use crate::show;

pub fn print_recovery_key(rk: &confidant_core::RecoveryKey) {
    println!("Your recovery key (shown only this once; write it down or print it and keep it safe):");
    println!();
    println!("    {}", rk.display().as_str());
    println!();
    println!("With it you can open the vault if you forget your passphrase. Anyone who has it can too.");
}

pub fn init(ctx: &Ctx) -> anyhow::Result<()> {
    let pass = ctx.new_passphrase("New passphrase: ")?;
    let (vault, rk) = Vault::create(&ctx.vault_dir, &pass, KdfChoice::Calibrate)?;
    println!("Created a vault in {}", ctx.vault_dir.display());
    print_recovery_key(&rk);
    drop(vault);
    Ok(())
}

pub fn demo(dir: &Path) -> anyhow::Result<()> {
    let (_vault, rk) = demo::create(dir, KdfChoice::Calibrate)?;
    println!("Created a demo vault with fictional clients in {}", dir.display());
    println!("Passphrase: {}", demo::DEMO_PASSPHRASE);
    println!("Recovery key: {}", rk.display().as_str());
    Ok(())
}

pub fn change_passphrase(ctx: &Ctx) -> anyhow::Result<()> {
    let mut v = Vault::open(&ctx.vault_dir)?;
    let current = ctx.credential()?;
    let new = ctx.new_passphrase("New passphrase: ")?;
    v.change_passphrase(&current, &new, KdfChoice::Calibrate)?;
    println!("Passphrase changed. The recovery key still works.");
    println!("The old passphrase no longer opens the vault here, but it still opens backups made before");
    println!("today, and with one of those, the vault's key. If someone may know the old passphrase, use");
    println!("`confidant rekey --reason passphrase-known` instead.");
    Ok(())
}

pub fn regenerate_recovery(ctx: &Ctx) -> anyhow::Result<()> {
    let mut v = Vault::open(&ctx.vault_dir)?;
    let current = ctx.credential()?;
    let rk = v.regenerate_recovery_key(&current)?;
    println!("A new recovery key was made; the old one no longer opens the vault here. It still opens");
    println!("backups made before today (and with one of those, the vault's key). If the old sheet may be");
    println!("in someone's hands, use `confidant rekey --reason recovery-lost` instead.");
    print_recovery_key(&rk);
    Ok(())
}

pub fn remember(ctx: &Ctx, state: OnOff) -> anyhow::Result<()> {
    let mut v = ctx.unlock()?;
    let keyring = Keyring::platform()?;
    match state {
        OnOff::On => {
            v.set_remembered(true, &keyring)?;
            println!("This computer now remembers the vault key in the system keyring.");
            println!("Anyone who can log in as you here can open the vault without the passphrase.");
        }
        OnOff::Off => {
            v.set_remembered(false, &keyring)?;
            println!("The vault key is no longer remembered; the passphrase will be asked.");
        }
    }
    Ok(())
}

pub fn info(ctx: &Ctx) -> anyhow::Result<()> {
    let v = Vault::open(&ctx.vault_dir)?;
    let i = v.info();
    println!("vault id:      {}", i.vault_id);
    println!("recovery key:  {}", if i.has_recovery_key { "set" } else { "none" });
    println!("remembered:    {}", if i.remembered { "yes" } else { "no" });
    let successor = match &i.successor {
        None => "none".to_owned(),
        Some(confidant_core::keys::successor::SuccessorKind::X25519 { recipient }) => format!("key {recipient}"),
        Some(confidant_core::keys::successor::SuccessorKind::Passphrase) => {
            "a passphrase the custodian keeps".to_owned()
        }
    };
    println!("successor:     {successor}");
    Ok(())
}

pub fn log(ctx: &Ctx, action: LogAction) -> anyhow::Result<()> {
    let mut v = ctx.unlock()?;
    match action {
        LogAction::Verify => match v.verify_access_log() {
            Ok(r) => println!("Access log verified: {} entries, chain intact.", r.rows),
            Err(e) => bail!(e),
        },
        LogAction::Show { client, limit } => {
            for row in v.access_log(client, limit)? {
                show::log_row(&row);
            }
        }
        LogAction::Prune { date, yes } => {
            let today = crate::records::date("--date", date.as_deref())?;
            let r = v.access_log_retention(today)?;
            let Some(rule) = r.rule else {
                println!("The practice profile has no access-log rule; nothing is deleted by one.");
                return Ok(());
            };
            if r.due_rows == 0 {
                println!("No access-log rows are past {} years ({}).", rule.years, rule.source);
                return Ok(());
            }
            let day = r.last_due_day.map(|d| d.to_string()).unwrap_or_default();
            println!("{} rows up to {day} are past {} years ({}).", r.due_rows, rule.years, rule.source);
            if !yes {
                bail!("not deleted: confirm with --yes");
            }
            let gone = v.prune_access_log(today)?;
            println!("Deleted {gone} rows; the rest of the log still verifies.");
        }
    }
    Ok(())
}
