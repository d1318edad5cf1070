// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> anyhow::Result<()> {
    // Before anything can hold a key: a crash must not write one (or a journal on screen) to
    // disk. The webview's helper processes inherit the zero core limit.
    confidant_harden::disable_core_dumps().map_err(|e| anyhow::anyhow!("could not turn off core dumps: {e}"))?;
    confidant_app::app::run()
}
