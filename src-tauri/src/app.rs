//! Builds the Tauri app: plugins, state, the attachment protocol, commands, events and the
//! background watchers. `main.rs` calls [`run`]; tests call [`configure`] on a mock builder.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use confidant_core::KdfChoice;
use tauri::{DragDropEvent, Manager, Runtime, Window, WindowEvent};
use tauri_specta::Event as _;

use crate::events::{DropPosition, FilesDropped};
use crate::state::AppState;

/// The generated bindings, relative to this crate.
pub const BINDINGS_PATH: &str = "../ui/src/lib/bindings.ts";

/// The tauri-specta builder with every command and event, for runtime `$r`.
///
/// A macro because `collect_commands!` needs the concrete runtime spelled out for the
/// commands that take an `AppHandle` (the app uses `tauri::Wry`, tests the mock runtime).
#[macro_export]
macro_rules! specta_builder {
    ($r:path) => {{
        use $crate::commands::{
            access_log, appointments, attachments, backup, breach, clients, consent, courses, day, documents, entries,
            export, import, invoices, keys, measures, profile, quick_unlock, rights, search, settings, templates,
            vault,
        };
        ::tauri_specta::Builder::<$r>::new()
            .commands(::tauri_specta::collect_commands![
                vault::app_status,
                vault::create_vault,
                vault::open_demo,
                vault::leave_demo,
                vault::unlock,
                vault::unlock_remembered,
                vault::lock,
                vault::activity,
                vault::vault_info,
                vault::check_passphrase,
                vault::change_passphrase,
                vault::regenerate_recovery_key,
                vault::set_remembered,
                keys::rekey,
                keys::successor,
                keys::set_successor,
                keys::remove_successor,
                quick_unlock::set_quick_unlock,
                quick_unlock::unlock_with_pin,
                quick_unlock::forget_quick_unlock,
                settings::settings,
                settings::update_settings,
                settings::about,
                profile::profile,
                profile::set_profile,
                profile::retention_rules,
                clients::list_clients,
                clients::get_client,
                clients::create_client,
                clients::update_client,
                clients::set_client_status,
                clients::client_history,
                rights::legal_holds,
                rights::place_legal_hold,
                rights::release_legal_hold,
                rights::set_restriction,
                rights::due_for_deletion,
                rights::retention_clocks,
                rights::erasure_plan,
                rights::erase,
                export::choose_export_folder::<$r>,
                export::export_client,
                import::choose_import_folder::<$r>,
                import::import_packages,
                consent::consents,
                consent::record_consent,
                consent::withdraw_consent,
                consent::last_consent_text,
                appointments::appointments,
                appointments::note_session,
                appointments::calendar,
                day::day,
                appointments::uninvoiced_appointments,
                appointments::plan_appointment,
                appointments::update_appointment,
                appointments::record_attendance,
                appointments::set_appointment_fee,
                appointments::remove_appointment,
                appointments::start_appointment_note,
                invoices::billing,
                invoices::set_billing,
                invoices::invoices,
                invoices::create_invoice,
                invoices::save_invoice_draft,
                invoices::delete_invoice_draft,
                invoices::issue_invoice,
                invoices::credit_invoice,
                invoices::record_payment,
                invoices::invoice_pdf,
                invoices::accounting_csv,
                invoices::old_invoices,
                invoices::purge_old_invoices,
                measures::instruments,
                measures::measures,
                measures::record_measure,
                measures::define_instrument,
                measures::update_instrument,
                measures::retire_instrument,
                breach::breaches,
                breach::breach_clocks,
                breach::record_breach,
                breach::update_breach,
                breach::mark_breach_notified,
                breach::mark_breach_clients_informed,
                breach::breach_notice,
                breach::breach_letters,
                documents::print_journal,
                documents::referral_letter,
                documents::processing_record,
                courses::list_courses,
                courses::create_course,
                courses::close_course,
                entries::list_entries,
                entries::logbook,
                entries::get_entry,
                entries::recent_entries,
                entries::create_entry,
                entries::update_draft,
                entries::sign_entry,
                entries::amend_entry,
                templates::templates,
                templates::template,
                templates::create_template,
                attachments::list_attachments,
                attachments::attach_from_dialog::<$r>,
                attachments::attach_paths,
                attachments::save_attachment_copy::<$r>,
                attachments::attachment_url_base,
                search::search,
                access_log::access_log,
                access_log::verify_access_log,
                access_log::access_log_retention,
                access_log::prune_access_log,
                backup::backup_status,
                backup::backup_history,
                backup::list_volumes,
                backup::choose_backup_folder::<$r>,
                backup::choose_backup_file::<$r>,
                backup::set_backup_target,
                backup::backup_now,
                backup::cancel_backup,
                backup::verify_backup,
                backup::restore_backup,
            ])
            .events(::tauri_specta::collect_events![
                $crate::events::VaultLocked,
                $crate::events::LockRequested,
                $crate::events::FilesDropped
            ])
            // Every integer that crosses IPC is a row id, a count or a byte size below 2^53
            // (attachments are capped at 50 MiB), so a JS number holds it exactly.
            .dangerously_cast_bigints_to_number()
            // One TypeScript type per Rust type: the UI does not need separate read/write shapes.
            .disable_serde_phases()
    }};
}

/// The exporter settings shared by the app, the export binary and the drift check.
pub fn typescript() -> specta_typescript::Typescript {
    specta_typescript::Typescript::default()
        .header("// Generated by src-tauri (cargo run -p confidant-app --bin export-bindings). Do not edit.\n")
}

/// Writes the TypeScript bindings to `path`.
pub fn export_bindings(path: &Path) -> anyhow::Result<()> {
    specta_builder!(tauri::Wry).export(typescript(), path).context("exporting the TypeScript bindings")?;
    // Runtime lists of closed enums the UI must cover (its i18n test checks each has text).
    let mut ts = std::fs::read_to_string(path).context("reading the bindings back")?;
    ts.push_str(&closed_list("ERROR_CODES", "Code", confidant_core::Code::ALL.iter().map(|c| c.as_str())));
    ts.push_str(&closed_list("REASONS", "Reason", confidant_core::Reason::ALL.iter().map(|r| r.as_str())));
    ts.push_str(&closed_list("ACTIONS", "Action", confidant_core::audit::Action::ALL.iter().map(|a| a.as_str())));
    ts.push_str(&closed_list("OBJECT_KINDS", "ObjectKind", confidant_core::ObjectKind::ALL.iter().map(|k| k.as_str())));
    ts.push_str(&closed_list(
        "BACKUP_CHECKS",
        "BackupCheck",
        confidant_core::backup::BackupCheck::ALL.iter().map(|c| c.as_str()),
    ));
    std::fs::write(path, ts).context("writing the bindings")
}

fn closed_list<'a>(name: &str, ty: &str, values: impl Iterator<Item = &'a str>) -> String {
    let quoted: Vec<String> = values.map(|v| format!("\"{v}\"")).collect();
    format!("\n/** Every `{ty}`, generated from the Rust enum. */\nexport const {name} = [{}] as const satisfies readonly {ty}[];\n", quoted.join(", "))
}

/// The vault folder: `$CONFIDANT_VAULT`, else the OS data folder (see `confidant_core::paths`).
pub fn vault_dir() -> anyhow::Result<PathBuf> {
    confidant_core::paths::default_vault_dir().context("no data folder for this user")
}

/// What [`configure`] starts besides the commands.
#[derive(Debug, Clone, Copy, Default)]
pub struct Background {
    /// Lock on suspend / screen lock (Linux, D-Bus).
    pub session_watch: bool,
    /// Automatic backups when the target disk appears.
    pub auto_backup: bool,
    /// The idle backstop (lock after the auto-lock minutes without reported input).
    pub idle_watch: bool,
    /// Merging the search index while nobody types.
    pub index_upkeep: bool,
    /// Open the demo vault at start (`--demo`). Done in setup, after the single-instance
    /// check, so a second start never touches a vault before it hands over and exits.
    pub open_demo: bool,
    /// Keep picked and saved files out of the desktop's "recently used" list (needs a real
    /// GTK; the tests' mock runtime has none).
    pub forget_recent_files: bool,
}

/// Adds plugins, state, the attachment protocol, commands, events and watchers to `builder`.
pub fn configure<R: Runtime>(
    builder: tauri::Builder<R>,
    specta: tauri_specta::Builder<R>,
    state: AppState,
    background: Background,
) -> tauri::Builder<R> {
    builder
        .plugin(crate::navigation::guard())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .manage(state)
        .register_asynchronous_uri_scheme_protocol(crate::protocol::SCHEME, crate::protocol::handler)
        .invoke_handler(specta.invoke_handler())
        .on_window_event(on_window_event)
        .setup(move |app| {
            specta.mount_events(app);
            #[cfg(target_os = "linux")]
            if background.forget_recent_files {
                forget_recent_files();
            }
            if background.open_demo {
                crate::state::lock_inner(&app.state::<AppState>().shared()).open_demo()?;
            }
            if background.session_watch {
                crate::session_watch::start(app.handle().clone());
            }
            if background.auto_backup {
                crate::backup_task::start(app.handle().clone());
            }
            if background.idle_watch {
                crate::idle_watch::start(app.handle().clone());
            }
            if background.index_upkeep {
                crate::index_upkeep::start(app.handle().clone());
            }
            Ok(())
        })
}

fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    if window.label() != "main" {
        return;
    }
    if let WindowEvent::DragDrop(DragDropEvent::Drop { paths, position }) = event {
        window.state::<AppState>().set_dropped(paths.clone());
        let scale = window.scale_factor().unwrap_or(1.0);
        let at = position.to_logical::<f64>(scale);
        let ev = FilesDropped {
            paths: paths.iter().map(|p| p.to_string_lossy().into_owned()).collect(),
            position: Some(DropPosition { x: at.x, y: at.y }),
        };
        let _ = ev.emit_to(window.app_handle(), "main");
    }
}

/// Brings the main window to the front (a second start of the app asked for it). Its
/// arguments are ignored: `--demo` on a second start does not switch the running app's vault.
pub fn focus_main<R: Runtime>(app: &tauri::AppHandle<R>) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

/// GTK's file dialogs add every file picked or saved to the desktop's "recently used" list
/// (`~/.local/share/recently-used.xbel`, plain text, read by every file manager): a name such
/// as "Maja Ek, remiss.pdf" would put a client's name outside the vault. Off for this process
/// only; the person's list for other programs is left as it is.
#[cfg(target_os = "linux")]
fn forget_recent_files() {
    use gtk::prelude::GtkSettingsExt;
    if let Some(settings) = gtk::Settings::default() {
        settings.set_gtk_recent_files_enabled(false);
    }
}

/// Starts the desktop app. `--demo` opens the demo vault right away.
pub fn run() -> anyhow::Result<()> {
    let demo = std::env::args().skip(1).any(|a| a == "--demo");
    // A CLI refused while the app has the journal unlocked is told it is the app.
    confidant_core::writer::identify(confidant_core::Holder::App);
    let dir = vault_dir()?;
    let state = AppState::new(dir, KdfChoice::Calibrate, Box::new(confidant_core::Keyring::platform));
    let specta = specta_builder!(tauri::Wry);
    // First plugin of all: a second start hands over to the running app (which comes to the
    // front) and exits before it sets anything else up, so one vault never has two windows.
    let builder = tauri::Builder::default().plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
        focus_main(app);
    }));
    configure(
        builder,
        specta,
        state,
        Background {
            session_watch: true,
            auto_backup: true,
            idle_watch: true,
            index_upkeep: true,
            open_demo: demo,
            forget_recent_files: true,
        },
    )
    .run(tauri::generate_context!())
    .context("running the app")
}
