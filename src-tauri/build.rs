//! Declares the app's commands to Tauri's ACL: with an app manifest every command needs an
//! `allow-<command>` permission, which only the main window's capability grants.

/// Every `#[tauri::command]` of the app; a test checks this matches the registered commands.
const COMMANDS: &[&str] = &[
    // vault and keys
    "app_status",
    "create_vault",
    "open_demo",
    "leave_demo",
    "unlock",
    "unlock_remembered",
    "lock",
    "activity",
    "vault_info",
    "check_passphrase",
    "change_passphrase",
    "regenerate_recovery_key",
    "set_remembered",
    "rekey",
    "successor",
    "set_successor",
    "remove_successor",
    "set_quick_unlock",
    "unlock_with_pin",
    "forget_quick_unlock",
    "settings",
    "update_settings",
    "profile",
    "set_profile",
    "retention_rules",
    // records
    "list_clients",
    "get_client",
    "create_client",
    "update_client",
    "set_client_status",
    "list_courses",
    "create_course",
    "close_course",
    "list_entries",
    "get_entry",
    "create_entry",
    "update_draft",
    "sign_entry",
    "amend_entry",
    "templates",
    "template",
    "create_template",
    "list_attachments",
    "attach_from_dialog",
    "attach_paths",
    "save_attachment_copy",
    "attachment_url_base",
    "search",
    "access_log",
    "verify_access_log",
    // backups
    "backup_status",
    "backup_history",
    "list_volumes",
    "choose_backup_folder",
    "choose_backup_file",
    "set_backup_target",
    "backup_now",
    "cancel_backup",
    "verify_backup",
    "restore_backup",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
