//! The Confidant desktop shell: a Tauri 2 app whose commands are thin adapters over
//! `confidant-core`. Every rule lives in the core; this crate only moves requests, paths and
//! events between the webview and a [`confidant_core::Vault`].

pub mod app;
pub mod backup_task;
pub mod commands;
pub mod events;
pub mod idle_watch;
pub mod index_upkeep;
pub mod navigation;
pub mod protocol;
pub mod session_watch;
pub mod state;
