//! Shell tests on Tauri's mock runtime: the real command handlers, ACL and state, no window.

mod acl;
mod attachments;
mod backup;
mod flows;
mod locked;
mod quick_unlock;
mod session;
mod util;
