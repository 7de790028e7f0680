//! `rubric serve`: a local web page that gives a student feedback while they write
//! (docs/serve.md).
//!
//! - [`catalog`]: the rubrics offered, found under a folder and reloaded when they change;
//! - [`api`]: the answers to requests (the page, `GET /api/rubrics`, `POST /api/check`,
//!   `POST /api/extract`), independent of the HTTP server;
//! - [`http`]: the server itself (hyper on a small tokio runtime), its limits (time,
//!   connections, memory) and security headers;
//! - `assets/`: the page (HTML, CSS, vanilla JavaScript), built into the binary.
//!
//! The server listens on 127.0.0.1 unless told otherwise, and neither logs nor stores answers.

pub mod api;
pub mod catalog;
pub mod http;

use std::io::{self, Write};
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};

use crate::app::{ERROR, SUCCESS, error};
use crate::project::discover_rubric;

pub use api::App;
pub use catalog::Catalog;

/// Prints a warning on standard error.
pub(crate) fn warn(message: impl std::fmt::Display) {
    let style = anstyle::AnsiColor::Yellow.on_default().bold();
    let mut err = anstream::stderr();
    let _ = writeln!(err, "{style}warning:{style:#} {message}");
}

/// The rubrics folder when `--rubrics` is not given: `rubrics/` if it exists, else the folder
/// of the nearest `rubric.toml`.
pub fn default_rubrics_dir() -> Option<PathBuf> {
    let local = Path::new("rubrics");
    if local.is_dir() {
        return Some(local.to_path_buf());
    }
    discover_rubric(Path::new(".")).and_then(|p| p.parent().map(Path::to_path_buf))
}

/// The page's address as a browser should use it: the unspecified address (`0.0.0.0`, `::`)
/// is reached at the loopback address of its family.
pub fn page_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, addr.port()))
}

/// The address other computers on the network reach the server at, for `--bind`'s warning:
/// the address itself, or for the unspecified one (`0.0.0.0`, `::`) the one this computer
/// sends from, found by "connecting" a UDP socket to a documentation address (no packet is
/// sent). `None` when there is no such route.
fn network_address(bound: IpAddr) -> Option<IpAddr> {
    use std::net::{Ipv4Addr, Ipv6Addr, UdpSocket};
    if !bound.is_unspecified() {
        return Some(bound);
    }
    let (local, probe): (SocketAddr, SocketAddr) = match bound {
        IpAddr::V4(_) => (
            (Ipv4Addr::UNSPECIFIED, 0).into(),
            (Ipv4Addr::new(192, 0, 2, 1), 9).into(),
        ),
        IpAddr::V6(_) => (
            (Ipv6Addr::UNSPECIFIED, 0).into(),
            (Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), 9).into(),
        ),
    };
    let socket = UdpSocket::bind(local).ok()?;
    socket.connect(probe).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified() && !ip.is_loopback()).then_some(ip)
}

/// What `rubric serve` is to do (the command line builds it from `rubric serve`'s options).
#[derive(Debug, Clone)]
pub struct Settings {
    /// Folder of rubric files, or one rubric file; `None` for [`default_rubrics_dir`].
    pub rubrics: Option<PathBuf>,
    /// Where to listen; port 0 picks a free one.
    pub addr: SocketAddr,
    /// Open the page in the default browser.
    pub open: bool,
    /// Largest request accepted, in bytes.
    pub max_answer_bytes: u64,
    /// How long a connection may stay silent.
    pub idle_timeout: std::time::Duration,
    /// The most connections served at once; `None` for [`http::Limits::new`]'s.
    pub max_connections: Option<usize>,
}

/// Runs `rubric serve` until the process is stopped; returns 2 when it cannot start.
pub fn run(args: Settings) -> io::Result<i32> {
    let Some(root) = args.rubrics.clone().or_else(default_rubrics_dir) else {
        error(
            "no rubrics to serve: there is no rubrics/ folder here and no rubric.toml in this folder or above; use --rubrics DIR",
        );
        return Ok(ERROR);
    };
    if !root.exists() {
        error(format!("{}: no such folder or file", root.display()));
        return Ok(ERROR);
    }
    let catalog = Catalog::new(root);
    let found = catalog.all();
    if found.is_empty() {
        error(format!(
            "{}: no valid rubric (*.toml) found; `rubric lint FILE` says what is wrong with one",
            catalog.root().display()
        ));
        return Ok(ERROR);
    }
    let ids: Vec<&str> = found.iter().map(|(id, _)| id.as_str()).collect();
    let listener = match TcpListener::bind(args.addr) {
        Ok(l) => l,
        Err(e) => {
            error(format!(
                "cannot listen on {}: {e}{}",
                args.addr,
                if e.kind() == io::ErrorKind::AddrInUse {
                    " (is another `rubric serve` running? choose another port with --port N, or --port 0 for any free one)"
                } else {
                    ""
                }
            ));
            return Ok(ERROR);
        }
    };
    let addr = listener.local_addr()?;
    let loopback = addr.ip().is_loopback();
    if !loopback {
        let students = network_address(addr.ip())
            .map(|ip| format!(" (students open {})", page_url(SocketAddr::new(ip, addr.port()))))
            .unwrap_or_default();
        warn(format!(
            "listening on {}, not on 127.0.0.1: anyone who can reach this computer on the network can use the page and send text to it{students}",
            addr.ip()
        ));
    }
    let url = page_url(addr);
    {
        let mut out = io::stdout().lock();
        writeln!(out, "Listening on {url}")?;
        writeln!(
            out,
            "Rubrics from {}: {} ({})",
            catalog.root().display(),
            ids.len(),
            ids.join(", ")
        )?;
        writeln!(out, "Press Ctrl-C to stop.")?;
        out.flush()?;
    }
    if args.open {
        open_browser(&url);
    }
    let app = App {
        catalog,
        max_body: args.max_answer_bytes,
        loopback_only: loopback,
    };
    let mut limits = http::Limits::new();
    limits.idle = args.idle_timeout;
    if let Some(n) = args.max_connections {
        limits.max_connections = n;
    }
    if let Err(e) = http::serve(listener, app, limits) {
        error(format!("the server stopped: {e}"));
        return Ok(ERROR);
    }
    Ok(SUCCESS)
}

/// Opens `url` in the default browser; failing is a warning, not an error.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    match command.spawn() {
        Ok(mut child) => {
            let url = url.to_owned();
            // Wait in the background, so that the opener is reaped and its failure reported.
            std::thread::spawn(move || match child.wait() {
                Ok(status) if !status.success() => {
                    warn(format!("could not open a browser ({status}); open {url} yourself"))
                }
                Err(e) => warn(format!("could not open a browser ({e}); open {url} yourself")),
                Ok(_) => {}
            });
        }
        Err(e) => warn(format!(
            "could not open a browser ({}: {e}); open {url} yourself",
            command.get_program().to_string_lossy()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_network_address_of_a_bound_address_is_itself() {
        let ip: IpAddr = "192.168.1.20".parse().unwrap();
        assert_eq!(network_address(ip), Some(ip));
        // The unspecified address: the one this computer sends from, if it has a route.
        if let Some(ip) = network_address("0.0.0.0".parse().unwrap()) {
            assert!(ip.is_ipv4() && !ip.is_loopback() && !ip.is_unspecified(), "{ip}");
        }
    }

    #[test]
    fn page_urls() {
        assert_eq!(page_url("127.0.0.1:80".parse().unwrap()), "http://127.0.0.1:80");
        assert_eq!(page_url("0.0.0.0:8737".parse().unwrap()), "http://127.0.0.1:8737");
        assert_eq!(page_url("[::]:1".parse().unwrap()), "http://[::1]:1");
        assert_eq!(page_url("[::1]:2".parse().unwrap()), "http://[::1]:2");
    }
}
