//! `confidant`: the command line over the same core as the desktop app.

mod args;
mod backupcmd;
mod invoicecmd;
mod keyscmd;
mod practice;
mod prompt;
mod records;
mod registers;
mod rightscmd;
mod show;
mod vaultcmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Before anything can hold a key: a crash must not write one to disk.
    if let Err(e) = confidant_harden::disable_core_dumps() {
        eprintln!("error: could not turn off core dumps, so nothing was opened: {e}");
        return ExitCode::from(1);
    }
    let cli = args::Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, no backtrace: the core's messages carry no secrets or personal data.
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: args::Cli) -> anyhow::Result<()> {
    use args::Command as C;
    let ctx = prompt::Ctx::new(&cli)?;
    match cli.command {
        C::Init => vaultcmd::init(&ctx),
        C::Demo { dir } => vaultcmd::demo(&dir),
        C::ChangePassphrase => vaultcmd::change_passphrase(&ctx),
        C::RecoveryKey { action: args::RecoveryAction::Regenerate } => vaultcmd::regenerate_recovery(&ctx),
        C::Rekey { reason, progress } => keyscmd::rekey(&ctx, reason, progress),
        C::Successor { action } => keyscmd::successor(&ctx, action),
        C::Remember { state } => vaultcmd::remember(&ctx, state),
        C::Info => vaultcmd::info(&ctx),
        C::Log { action } => vaultcmd::log(&ctx, action),
        C::Profile { action } => records::profile(&ctx, action),
        C::Client { action } => records::client(&ctx, action),
        C::Course { action } => records::course(&ctx, action),
        C::Entry { action } => records::entry(&ctx, action),
        C::Attach { client, entry, file } => records::attach(&ctx, client, entry, &file),
        C::Attachment { action } => records::attachment(&ctx, action),
        C::Backup { action, target, progress } => backupcmd::backup(&ctx, action, target, progress),
        C::Verify { file, progress } => backupcmd::verify(&ctx, &file, progress),
        C::Restore { file, replace, progress } => backupcmd::restore(&ctx, &file, replace, progress),
        C::Hold { action } => rightscmd::hold(&ctx, action),
        C::Restrict { client, state } => rightscmd::restrict(&ctx, client, state),
        C::Due { date } => rightscmd::due(&ctx, date.as_deref()),
        C::Erase { client, request_received, retention, yes, letter_to, progress } => rightscmd::erase(
            &ctx,
            client,
            request_received.as_deref(),
            retention,
            rightscmd::Confirm { yes, letter_to, progress },
        ),
        C::Export { client, to, identity_check, withhold, encrypt, progress } => {
            rightscmd::export(&ctx, client, &to, identity_check, &withhold, encrypt, progress)
        }
        C::Import { packages, progress } => rightscmd::import(&ctx, &packages, progress),
        C::Consent { action } => registers::consent(&ctx, action),
        C::Today => practice::today(&ctx),
        C::Session { action } => practice::session(&ctx, action),
        C::Measure { action } => practice::measure(&ctx, action),
        C::Billing { action } => invoicecmd::billing(&ctx, action),
        C::Invoice { action } => invoicecmd::invoice(&ctx, action),
        C::Breach { action } => registers::breach(&ctx, action),
        C::Print { client, entry, to } => registers::print(&ctx, client, entry, &to),
        C::Referral { client, recipient, body_file, to } => {
            registers::referral(&ctx, client, &recipient, &body_file, &to)
        }
        C::ProcessingRecord { to } => registers::processing_record(&ctx, &to),
        C::Search { query, client, limit } => records::search(&ctx, &query, client, limit),
    }
}
