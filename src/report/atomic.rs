//! Writing a report file all at once or not at all.
//!
//! The report is written to a new temporary file in the same folder (so the final rename stays
//! on one file system), flushed and synced to disk, then renamed over the destination. Readers
//! see the old report or the new one, never half of one; when anything fails the temporary
//! file is removed and the previous report is left as it was.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The folder a path is in (`.` for a bare file name).
fn folder(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Creates a fresh temporary file next to `path`: hidden, named after it, never an existing
/// file.
fn temp_file(path: &Path) -> io::Result<(PathBuf, File)> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?
        .to_string_lossy()
        .into_owned();
    let dir = folder(path);
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Writes `path` atomically with what `fill` writes. On error nothing at `path` changes and the
/// temporary file is gone.
pub fn write(path: &Path, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    write_file(path, fill, true)
}

/// Like [`write`], for one of many files written into one folder: the folder itself is not
/// synced; call [`sync_folder`] once they are all written.
pub fn write_many(path: &Path, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    write_file(path, fill, false)
}

/// Makes the renames into a folder durable, where the platform allows syncing a folder.
pub fn sync_folder(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

fn write_file(path: &Path, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>, sync: bool) -> io::Result<()> {
    let (tmp, file) = temp_file(path)?;
    let result = (|| {
        let mut w = BufWriter::new(file);
        fill(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)?;
        if sync {
            sync_folder(folder(path));
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer that accepts `left` bytes, then fails.
    struct Failing<'a> {
        inner: &'a mut dyn Write,
        left: usize,
    }

    impl Write for Failing<'_> {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.left == 0 {
                return Err(io::Error::other("disk full"));
            }
            let n = buf.len().min(self.left);
            self.left -= n;
            self.inner.write(&buf[..n])
        }
        fn flush(&mut self) -> io::Result<()> {
            self.inner.flush()
        }
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn writes_and_replaces() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("marks.csv");
        write(&path, |w| w.write_all(b"first")).expect("writes");
        write(&path, |w| w.write_all(b"second")).expect("writes");
        assert_eq!(fs::read_to_string(&path).expect("read"), "second");
        assert_eq!(leftovers(dir.path()), ["marks.csv"]);
    }

    #[test]
    fn a_failing_writer_leaves_the_old_report() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("marks.csv");
        fs::write(&path, "old report").expect("write");
        let err = write(&path, |w| {
            let mut f = Failing { inner: w, left: 10 };
            // Much more than the buffer, so part of it reaches the temporary file.
            for _ in 0..10_000 {
                f.write_all(b"new report line\n")?;
            }
            Ok(())
        })
        .expect_err("fails");
        assert_eq!(err.to_string(), "disk full");
        assert_eq!(fs::read_to_string(&path).expect("read"), "old report");
        assert_eq!(leftovers(dir.path()), ["marks.csv"]);
    }

    #[test]
    fn a_failing_rename_removes_the_temporary_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        // A folder in the way: the rename fails.
        let path = dir.path().join("report.html");
        fs::create_dir(&path).expect("mkdir");
        fs::write(path.join("keep"), "x").expect("write");
        assert!(write(&path, |w| w.write_all(b"<html>")).is_err());
        assert_eq!(leftovers(dir.path()), ["report.html"]);
        assert!(path.join("keep").exists());
    }

    #[test]
    fn a_missing_folder_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("no/such/folder/marks.csv");
        assert!(write(&path, |w| w.write_all(b"x")).is_err());
        assert!(leftovers(dir.path()).is_empty());
    }
}
