//! The HTTP side of `rubric serve`: axum on a small tokio runtime. Every request goes to one
//! handler that reads the body within the limit and hands the request to [`super::api::handle`]
//! on the blocking pool (checking an answer is CPU work), then adds the security headers.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use http_body_util::BodyExt;

use super::api::{self, App};

/// The page loads only its own script, style sheet and icon, and talks only to this server.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
     connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Worker threads for connections, and for checking answers.
const IO_THREADS: usize = 2;
const CHECK_THREADS: usize = 4;

/// Serves `app` on `listener` until the process ends.
pub fn serve(listener: std::net::TcpListener, app: App) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(IO_THREADS)
        .max_blocking_threads(CHECK_THREADS)
        .thread_name("rubric-serve")
        .enable_io()
        .build()?;
    let app = Arc::new(app);
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let router = Router::new().fallback(dispatch).with_state(app);
        axum::serve(listener, router).await
    })
}

async fn dispatch(State(app): State<Arc<App>>, req: axum::extract::Request) -> axum::response::Response {
    let (parts, body) = req.into_parts();
    let response = match read_body(&parts.headers, body, app.max_body).await {
        Err(refusal) => refusal,
        Ok(bytes) => {
            let header = |name: HeaderName| parts.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
            let method = parts.method.as_str().to_owned();
            let path = parts.uri.path().to_owned();
            let query = parts.uri.query().map(str::to_owned);
            // HTTP/1.1 requests carry `Host`; an absolute URI in the request line counts too.
            let host = header(header::HOST).or_else(|| parts.uri.authority().map(|a| a.to_string()));
            let origin = header(header::ORIGIN);
            let fetch_site = header(HeaderName::from_static("sec-fetch-site"));
            let app = Arc::clone(&app);
            let job = tokio::task::spawn_blocking(move || {
                api::handle(
                    &app,
                    &api::Request {
                        method: &method,
                        path: &path,
                        query: query.as_deref(),
                        host: host.as_deref(),
                        origin: origin.as_deref(),
                        fetch_site: fetch_site.as_deref(),
                        body: &bytes,
                    },
                )
            });
            match job.await {
                Ok(r) => r,
                // A panic while checking: the answer is not logged, only that it failed.
                Err(_) => api::error(500, "internal error while checking this answer; please report it"),
            }
        }
    };
    into_response(response)
}

/// The whole body, or a 413 as soon as it is known to be over `max` (from `Content-Length`
/// before reading anything, else while reading).
async fn read_body(headers: &HeaderMap, body: Body, max: u64) -> Result<Vec<u8>, api::Response> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|s| s.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(api::too_large(max));
    }
    let mut body = body;
    let mut out = Vec::with_capacity(declared.unwrap_or(0) as usize);
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| api::error(400, format!("cannot read the request body: {e}")))?;
        if let Ok(data) = frame.into_data() {
            if (out.len() + data.len()) as u64 > max {
                return Err(api::too_large(max));
            }
            out.extend_from_slice(&data);
        }
    }
    Ok(out)
}

fn into_response(r: api::Response) -> axum::response::Response {
    let mut response = axum::response::Response::new(Body::from(r.body.into_owned()));
    *response.status_mut() = StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(r.content_type));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("same-origin"),
    );
    if let Some(allow) = r.allow {
        headers.insert(header::ALLOW, HeaderValue::from_static(allow));
    }
    response
}
