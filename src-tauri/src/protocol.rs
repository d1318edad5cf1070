//! The `attachment:` URI scheme: attachment previews stream from the vault to the main
//! webview without ever crossing IPC as JSON.
//!
//! It answers only the main window, only `GET /<id>`, only while the vault is unlocked, with
//! the media type the core sniffed from the content (PDF or an image; never HTML or SVG), a
//! locked-down CSP, `nosniff` and `no-store` so nothing lands in WebKit's cache.
//!
//! A preview has no IPC access: WebKit's PDF viewer runs script in the `<object>`'s frame,
//! but Tauri accepts a command only with the invoke key it injects into the top-level page
//! alone, and the response's CSP (`default-src 'none'`) lets the frame fetch nothing, the IPC
//! endpoint included. As the window's own document an attachment would get that key (Tauri
//! trusts every registered scheme like the app's page), so it never is one: the navigation
//! guard sends the window back to the app as soon as it starts loading an attachment.

use std::sync::{Arc, Mutex};

use tauri::http::{header, Request, Response, StatusCode};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};

use confidant_core::Workspace;

use crate::state::{lock_inner, AppState};

/// The scheme name.
pub const SCHEME: &str = "attachment";

/// The URL prefix the webview uses for scheme `attachment` on this platform.
pub fn url_base() -> &'static str {
    if cfg!(any(windows, target_os = "android")) {
        "http://attachment.localhost/"
    } else {
        "attachment://localhost/"
    }
}

/// The CSP of every attachment response: nothing loads but the file itself. (`sandbox` would
/// also stop WebKit's own PDF viewer, which runs as script in the preview's frame.)
pub const ATTACHMENT_CSP: &str = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'";

/// Whether `url` is an attachment URL, in either platform's spelling of the scheme.
pub fn is_attachment_url(url: &tauri::Url) -> bool {
    url.scheme() == SCHEME
        || (matches!(url.scheme(), "http" | "https") && url.host_str() == Some("attachment.localhost"))
}

fn plain(status: StatusCode) -> Response<Vec<u8>> {
    Response::builder()
        .status(status)
        .header(header::CACHE_CONTROL, "no-store")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Vec::new())
        .expect("static response")
}

/// Serves one request against the shared state (separate from Tauri for the tests).
pub fn serve(inner: &Mutex<Workspace>, webview_label: &str, req: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    if webview_label != "main" {
        return plain(StatusCode::FORBIDDEN);
    }
    if req.method() != tauri::http::Method::GET {
        return plain(StatusCode::METHOD_NOT_ALLOWED);
    }
    let Ok(id) = req.uri().path().trim_start_matches('/').parse::<i64>() else {
        return plain(StatusCode::NOT_FOUND);
    };
    let mut g = lock_inner(inner);
    let Some(v) = g.unlocked() else {
        return plain(StatusCode::FORBIDDEN);
    };
    let mut body = Vec::new();
    match v.read_attachment(id, &mut body) {
        Ok(a) => Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, a.media_type)
            .header(header::CACHE_CONTROL, "no-store")
            .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
            .header(header::CONTENT_SECURITY_POLICY, ATTACHMENT_CSP)
            .header(header::CONTENT_DISPOSITION, "inline")
            .body(body)
            .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR)),
        Err(confidant_core::Error::NotFound(_)) => plain(StatusCode::NOT_FOUND),
        Err(confidant_core::Error::Locked) => plain(StatusCode::FORBIDDEN),
        Err(_) => plain(StatusCode::INTERNAL_SERVER_ERROR),
    }
}

/// The handler given to `register_asynchronous_uri_scheme_protocol`.
pub fn handler<R: Runtime>(ctx: UriSchemeContext<'_, R>, req: Request<Vec<u8>>, responder: UriSchemeResponder) {
    let inner: Arc<Mutex<Workspace>> = ctx.app_handle().state::<AppState>().shared();
    let label = ctx.webview_label().to_owned();
    tauri::async_runtime::spawn_blocking(move || responder.respond(serve(&inner, &label, &req)));
}
