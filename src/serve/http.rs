//! The HTTP side of `rubric serve`: hyper (HTTP/1.1) on a small tokio runtime. Every request
//! goes to one handler that reads the body within the limits and hands the request to
//! [`super::api::handle`] on the blocking pool (checking an answer is CPU work), then adds the
//! security headers.
//!
//! Limits, so that no client (nor a thousand of them) can stop the server or exhaust memory:
//!
//! - **time**: the request head must arrive within the idle timeout ([`Limits::idle`], 20 s
//!   unless `--idle-timeout` says otherwise), which is also how long a kept-alive connection may
//!   wait for its next request; a body must keep coming (no pause longer than the idle timeout)
//!   and be complete within three times it (408 otherwise); a response must keep being read
//!   (a client that stops reading for the idle timeout is disconnected);
//! - **connections**: at most [`Limits::max_connections`] at once (256, or half the process's
//!   limit of open files if that is lower); beyond it, connections wait in the listen queue
//!   until one closes. If the system runs out of file descriptors anyway, accepting pauses for
//!   100 ms at a time (one warning) and the server carries on;
//! - **memory**: the answers being read, checked and answered at the same time add up to at
//!   most `--max-answer-bytes` (each weighed by its length plus 64 KiB). A request waits for its
//!   turn (up to three times the idle timeout, then 503), before its body is read, so that the
//!   peak memory is that of checking one answer of the largest size, whatever the number of
//!   clients.

use std::convert::Infallible;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use http_body_util::BodyExt;
use hyper::body::{Body, Bytes, Frame, Incoming, SizeHint};
use hyper::header::{self, HeaderName, HeaderValue};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::api::{self, App};

/// The page loads only its own script, style sheet and icon, and talks only to this server.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
     connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Worker threads for connections, and for checking answers.
const IO_THREADS: usize = 2;
const CHECK_THREADS: usize = 4;

/// The default idle timeout (request head, keep-alive, pauses in a body or a response).
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(20);
/// The most connections served at once, when the limit of open files allows it.
pub const DEFAULT_MAX_CONNECTIONS: usize = 256;
/// How long accepting pauses when the process or the system is out of file descriptors.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);
/// How often, at most, running out of file descriptors is reported.
const WARN_EVERY: Duration = Duration::from_secs(60);
/// The most bytes of a request head (and of hyper's read buffer) per connection.
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// A response body is handed to hyper in pieces of this size, so that the memory it stands for
/// stays reserved until it is (nearly) all sent.
const RESPONSE_CHUNK: usize = 64 * 1024;
/// Memory is reserved in units of this many bytes (a semaphore counts in `u32`).
const UNIT: u64 = 1024;
/// What a request with a body costs besides the body itself, in units (64 KiB).
const REQUEST_BASE: u64 = 64;

/// The limits of the server (see the module's documentation).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub idle: Duration,
    pub max_connections: usize,
}

impl Limits {
    /// The default limits: [`DEFAULT_IDLE_TIMEOUT`], and [`default_max_connections`].
    pub fn new() -> Limits {
        Limits {
            idle: DEFAULT_IDLE_TIMEOUT,
            max_connections: default_max_connections(),
        }
    }

    /// How long a whole request body may take.
    fn body(&self) -> Duration {
        self.idle * 3
    }

    /// How long a request may wait for its turn to be checked.
    fn queue(&self) -> Duration {
        self.idle * 3
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::new()
    }
}

/// [`DEFAULT_MAX_CONNECTIONS`], or half the process's limit of open files if that is lower (at
/// least 4): the rest is left for reading rubrics and for the runtime.
pub fn default_max_connections() -> usize {
    let half = open_files_limit().map_or(usize::MAX, |n| usize::try_from(n / 2).unwrap_or(usize::MAX));
    DEFAULT_MAX_CONNECTIONS.min(half).max(4)
}

/// The soft limit of open files of this process, when there is one.
fn open_files_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes only into `limit`, a valid `rlimit`.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0 && limit.rlim_cur != libc::RLIM_INFINITY {
            // `rlim_t` is `u64` on Linux but not everywhere.
            #[allow(clippy::unnecessary_cast)]
            return Some(limit.rlim_cur as u64);
        }
    }
    None
}

/// What every connection shares.
struct Shared {
    app: App,
    limits: Limits,
    /// Memory for answers, in units of [`UNIT`] bytes (see the module's documentation).
    work: Arc<Semaphore>,
    /// The size of `work`.
    budget: u32,
}

/// Serves `app` on `listener` until the process ends.
pub fn serve(listener: std::net::TcpListener, app: App, limits: Limits) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(IO_THREADS)
        .max_blocking_threads(CHECK_THREADS)
        .thread_name("rubric-serve")
        .enable_io()
        .enable_time()
        .build()?;
    let budget = units(app.max_body.max(1024 * 1024));
    let shared = Arc::new(Shared {
        app,
        limits,
        work: Arc::new(Semaphore::new(budget as usize)),
        budget,
    });
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let connections = Arc::new(Semaphore::new(limits.max_connections.max(1)));
        let mut warned: Option<Instant> = None;
        loop {
            // Beyond the limit, new connections wait in the listen queue.
            let Ok(permit) = Arc::clone(&connections).acquire_owned().await else {
                return Ok(());
            };
            let stream = loop {
                match listener.accept().await {
                    Ok((stream, _)) => break stream,
                    // The client gave up before it was accepted: nothing to do.
                    Err(e) if matches!(
                        e.kind(),
                        io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset | io::ErrorKind::Interrupted
                    ) => {}
                    // Out of file descriptors (EMFILE, ENFILE) or memory: wait for connections to
                    // close, and say so now and then.
                    Err(e) => {
                        if warned.is_none_or(|at| at.elapsed() >= WARN_EVERY) {
                            super::warn(format!(
                                "cannot accept a connection: {e}; waiting for others to close (more open files are allowed with `ulimit -n`)"
                            ));
                            warned = Some(Instant::now());
                        }
                        tokio::time::sleep(ACCEPT_BACKOFF).await;
                    }
                }
            };
            let shared = Arc::clone(&shared);
            tokio::spawn(async move {
                connection(stream, shared).await;
                drop(permit);
            });
        }
    })
}

/// Serves one connection until it closes, fails or times out.
async fn connection(stream: TcpStream, shared: Arc<Shared>) {
    let idle = shared.limits.idle;
    let io = TokioIo::new(WriteStall::new(stream, idle));
    let service = hyper::service::service_fn(move |req| {
        let shared = Arc::clone(&shared);
        async move { Ok::<_, Infallible>(dispatch(shared, req).await) }
    });
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        // Also how long a kept-alive connection waits for its next request.
        .header_read_timeout(idle)
        .max_header_size(MAX_HEAD_BYTES)
        .max_buf_size(MAX_HEAD_BYTES);
    // A failed connection (timed out, reset, not HTTP) concerns only its client.
    let _ = http.serve_connection(io, service).await;
}

/// `bytes` in units of [`UNIT`], rounded up, plus [`REQUEST_BASE`].
fn units(bytes: u64) -> u32 {
    u32::try_from(bytes.div_ceil(UNIT).saturating_add(REQUEST_BASE)).unwrap_or(u32::MAX)
}

async fn dispatch(shared: Arc<Shared>, req: Request<Incoming>) -> Response<ResponseBody> {
    let (parts, body) = req.into_parts();
    let app = &shared.app;
    let declared = body.size_hint().exact();
    // Refused from its declared length alone, before waiting or reading anything.
    if declared.is_some_and(|n| n > app.max_body) {
        return into_response(api::too_large(app.max_body), None).closing();
    }
    // A request with a body waits for its share of memory; one without (GET) needs none.
    let mut permit = None;
    if !body.is_end_stream() {
        // A chunked body is reserved at the largest size, and the rest given back once read.
        let need = units(declared.unwrap_or(app.max_body)).min(shared.budget);
        match tokio::time::timeout(shared.limits.queue(), Arc::clone(&shared.work).acquire_many_owned(need)).await {
            Ok(Ok(p)) => permit = Some(p),
            Ok(Err(_)) | Err(_) => {
                let busy = api::error(
                    503,
                    "the server is busy checking other long answers; try again in a moment",
                );
                let mut response = into_response(busy, None).closing();
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
                return response;
            }
        }
    }
    let bytes = match read_body(body, app.max_body, &shared.limits).await {
        Err(refusal) => return into_response(refusal, None).closing(),
        Ok(bytes) => bytes,
    };
    if let Some(p) = permit.as_mut() {
        let keep = units(bytes.len() as u64).min(shared.budget) as usize;
        if p.num_permits() > keep {
            drop(p.split(p.num_permits() - keep));
        }
    }
    let header = |name: HeaderName| parts.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let method = parts.method.as_str().to_owned();
    let path = parts.uri.path().to_owned();
    let query = parts.uri.query().map(str::to_owned);
    // HTTP/1.1 requests carry `Host`; an absolute URI in the request line counts too.
    let host = header(header::HOST).or_else(|| parts.uri.authority().map(|a| a.to_string()));
    let origin = header(header::ORIGIN);
    let fetch_site = header(HeaderName::from_static("sec-fetch-site"));
    let task_shared = Arc::clone(&shared);
    // The permit goes with the work: it is held until the check ends, even if the client has
    // gone away meanwhile, and then until the response is sent.
    let job = tokio::task::spawn_blocking(move || {
        let response = api::handle(
            &task_shared.app,
            &api::Request {
                method: &method,
                path: &path,
                query: query.as_deref(),
                host: host.as_deref(),
                origin: origin.as_deref(),
                fetch_site: fetch_site.as_deref(),
                body: &bytes,
            },
        );
        drop(bytes);
        (response, permit)
    });
    match job.await {
        Ok((response, permit)) => into_response(response, permit),
        // A panic while checking: the answer is not logged, only that it failed.
        Err(_) => into_response(
            api::error(500, "internal error while checking this answer; please report it"),
            None,
        ),
    }
}

/// The whole body, or a 413 as soon as it is over `max`, or a 408 when it comes too slowly.
async fn read_body(mut body: Incoming, max: u64, limits: &Limits) -> Result<Vec<u8>, api::Response> {
    let declared = body.size_hint().exact().unwrap_or(0);
    let mut out = Vec::with_capacity(usize::try_from(declared.min(max)).unwrap_or(0));
    let deadline = tokio::time::Instant::now() + limits.body();
    loop {
        let pause = (tokio::time::Instant::now() + limits.idle).min(deadline);
        let frame = match tokio::time::timeout_at(pause, body.frame()).await {
            Err(_) => {
                return Err(api::error(
                    408,
                    format!(
                        "the request body came too slowly (a pause of {} s, or more than {} s in all)",
                        limits.idle.as_secs_f64(),
                        limits.body().as_secs_f64()
                    ),
                ));
            }
            Ok(None) => break,
            Ok(Some(frame)) => frame.map_err(|e| api::error(400, format!("cannot read the request body: {e}")))?,
        };
        if let Ok(data) = frame.into_data() {
            if (out.len() + data.len()) as u64 > max {
                return Err(api::too_large(max));
            }
            out.extend_from_slice(&data);
        }
    }
    Ok(out)
}

/// A response body: bytes handed out in pieces, with the memory reserved for the request
/// (released when the body is dropped: sent, or the connection gone).
pub struct ResponseBody {
    data: Bytes,
    _permit: Option<OwnedSemaphorePermit>,
}

impl Body for ResponseBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.data.is_empty() {
            return Poll::Ready(None);
        }
        let n = self.data.len().min(RESPONSE_CHUNK);
        Poll::Ready(Some(Ok(Frame::data(self.data.split_to(n)))))
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.data.len() as u64)
    }
}

trait Closing {
    /// Asks the client to close the connection after this response (the request's body may
    /// not have been read).
    fn closing(self) -> Self;
}

impl Closing for Response<ResponseBody> {
    fn closing(mut self) -> Self {
        self.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        self
    }
}

fn into_response(r: api::Response, permit: Option<OwnedSemaphorePermit>) -> Response<ResponseBody> {
    let data = match r.body {
        std::borrow::Cow::Borrowed(b) => Bytes::from_static(b),
        std::borrow::Cow::Owned(v) => Bytes::from(v),
    };
    let mut response = Response::new(ResponseBody { data, _permit: permit });
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

/// A connection whose writes fail once they have made no progress for `limit`: a client that
/// stops reading its response is disconnected, and what was kept for it is freed.
struct WriteStall {
    inner: TcpStream,
    limit: Duration,
    /// Armed while a write waits for the client.
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl WriteStall {
    fn new(inner: TcpStream, limit: Duration) -> WriteStall {
        WriteStall {
            inner,
            limit,
            stalled: None,
        }
    }

    /// After a write that made progress: disarm. After one that waits: arm the timer, and
    /// fail once it has run out.
    fn progress<T>(&mut self, cx: &mut Context<'_>, result: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        if result.is_ready() {
            self.stalled = None;
            return result;
        }
        let limit = self.limit;
        let timer = self.stalled.get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading the response",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncRead for WriteStall {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for WriteStall {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.progress(cx, result)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.progress(cx, result)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let result = Pin::new(&mut self.inner).poll_flush(cx);
        self.progress(cx, result)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let result = Pin::new(&mut self.inner).poll_shutdown(cx);
        self.progress(cx, result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_is_weighed_in_kibibytes_with_a_base() {
        assert_eq!(units(0), 64);
        assert_eq!(units(1), 65);
        assert_eq!(units(8 * 1024 * 1024), 8192 + 64);
        assert_eq!(units(u64::MAX), u32::MAX);
    }

    /// A client that stops reading its response is cut off once the writes have waited for
    /// the limit, rather than holding the connection (and the response) forever.
    #[test]
    fn a_client_that_stops_reading_is_disconnected() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let _client = TcpStream::connect(listener.local_addr().unwrap()).await.unwrap();
            let (server, _) = listener.accept().await.unwrap();
            let mut w = WriteStall::new(server, Duration::from_millis(200));
            let chunk = vec![b'x'; 64 * 1024];
            let fill = async {
                loop {
                    let n = std::future::poll_fn(|cx| Pin::new(&mut w).poll_write(cx, &chunk)).await?;
                    assert!(n > 0);
                }
            };
            // The hang guard: the client never reads, so only the stall limit ends this.
            let result: io::Result<()> = tokio::time::timeout(Duration::from_secs(60), fill)
                .await
                .expect("the writes were never cut off");
            assert_eq!(result.unwrap_err().kind(), io::ErrorKind::TimedOut);
        });
    }

    #[test]
    fn connections_are_capped_below_the_open_files_limit() {
        let n = default_max_connections();
        assert!((4..=DEFAULT_MAX_CONNECTIONS).contains(&n), "{n}");
        if let Some(limit) = open_files_limit() {
            assert!(n as u64 <= (limit / 2).max(4), "{n} of {limit}");
        }
    }
}
