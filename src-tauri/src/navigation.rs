//! Keeps the webview on the app's own pages: a link to a remote site (say, in a pasted note)
//! must never load in the window that holds the journal. Anything else is refused.
//!
//! Attachment URLs must pass the navigation check, because WebKit asks it for the preview's
//! `<object>` frame too, with nothing that tells that apart from the window itself going
//! there. So the window itself is caught when its page starts loading (only the top-level
//! page reports loads) and sent back to the app: an attachment is never the window's document.

use std::sync::Mutex;

use tauri::plugin::TauriPlugin;
use tauri::webview::PageLoadEvent;
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

/// What to do when the window's own page starts or finishes loading `url`.
#[derive(Debug, PartialEq, Eq)]
pub enum PageLoad {
    /// An attachment as the window's document: go back to the app's page.
    BackToApp,
    /// The app's page has loaded: remember where it lives.
    AppPage,
    /// Nothing to do.
    Ignore,
}

/// Decides [`PageLoad`] for a top-level page event.
pub fn on_page(url: &Url, finished: bool) -> PageLoad {
    if crate::protocol::is_attachment_url(url) {
        PageLoad::BackToApp
    } else if finished && allowed(url) && url.scheme() != "about" {
        PageLoad::AppPage
    } else {
        PageLoad::Ignore
    }
}

/// A plugin whose only job is the navigation guard.
pub fn guard<R: Runtime>() -> TauriPlugin<R> {
    let app_page: Mutex<Option<Url>> = Mutex::new(None);
    tauri::plugin::Builder::new("navigation-guard")
        .on_navigation(|_webview, url| allowed(url))
        .on_page_load(move |webview, payload| {
            let finished = payload.event() == PageLoadEvent::Finished;
            let mut page = app_page.lock().unwrap_or_else(|e| e.into_inner());
            match on_page(payload.url(), finished) {
                PageLoad::BackToApp => {
                    if let Some(home) = page.clone() {
                        let _ = webview.navigate(home);
                    }
                }
                PageLoad::AppPage => *page = Some(payload.url().clone()),
                PageLoad::Ignore => {}
            }
        })
        .build()
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
    fn an_attachment_as_the_window_itself_is_sent_back_to_the_app() {
        let at = |s: &str, finished: bool| on_page(&s.parse().unwrap(), finished);
        for url in ["attachment://localhost/3", "http://attachment.localhost/3"] {
            assert_eq!(at(url, false), PageLoad::BackToApp, "{url}");
            assert_eq!(at(url, true), PageLoad::BackToApp, "{url}");
        }
        assert_eq!(at("tauri://localhost/", true), PageLoad::AppPage);
        assert_eq!(at("http://tauri.localhost/", true), PageLoad::AppPage);
        assert_eq!(at("tauri://localhost/", false), PageLoad::Ignore);
        assert_eq!(at("about:blank", true), PageLoad::Ignore);
        assert_eq!(at("https://example.com/", true), PageLoad::Ignore);
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
