//! Keeps the webview on the app's own pages: a link to a remote site (say, in a pasted note)
//! must never load in the window that holds the journal. Anything else is refused.

use tauri::plugin::TauriPlugin;
use tauri::{Runtime, Url};

/// Whether the main webview may navigate to `url`.
pub fn allowed(url: &Url) -> bool {
    match (url.scheme(), url.host_str()) {
        ("tauri", Some("localhost")) => true,
        ("http" | "https", Some("tauri.localhost")) => true,
        (s, _) if s == crate::protocol::SCHEME => true,
        ("http" | "https", Some("attachment.localhost")) => true,
        ("about", _) => url.as_str() == "about:blank",
        // `tauri dev` serves the UI from Vite; release builds never do.
        ("http", Some("localhost")) => cfg!(debug_assertions) && url.port() == Some(5173),
        _ => false,
    }
}

/// A plugin whose only job is the navigation guard.
pub fn guard<R: Runtime>() -> TauriPlugin<R> {
    tauri::plugin::Builder::new("navigation-guard").on_navigation(|_webview, url| allowed(url)).build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> bool {
        allowed(&s.parse().unwrap())
    }

    #[test]
    fn app_pages_and_attachments_are_allowed() {
        assert!(ok("tauri://localhost/index.html"));
        assert!(ok("http://tauri.localhost/"));
        assert!(ok("attachment://localhost/3"));
        assert!(ok("http://attachment.localhost/3"));
    }

    #[test]
    fn remote_and_local_files_are_refused() {
        assert!(!ok("https://example.com/"));
        assert!(!ok("http://localhost:8080/"));
        assert!(!ok("file:///etc/passwd"));
        assert!(!ok("tauri://evil.example/"));
        assert!(!ok("data:text/html,<script>alert(1)</script>"));
        assert!(!ok("javascript:alert(1)"));
    }
}
