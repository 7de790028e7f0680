//! Writing a report file all at once or not at all.
//!
//! The report is written to a new temporary file in the same folder (so the final rename stays
//! on one file system), flushed and synced to disk, then renamed over the destination. Readers
//! see the old report or the new one, never half of one; when anything fails the temporary
//! file is removed and the previous report is left as it was.
//!
//! Only a regular file is ever replaced. A destination that is a symbolic link is followed (the
//! file it points to is replaced, the link stays); one that is a character device or a FIFO
//! (`/dev/null`, `/dev/stdout` to a terminal or a pipe, a named pipe) is written to directly,
//! as a shell's `>` would; anything else (a folder, a block device, a socket) is refused.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Most bytes of the destination's name kept in a temporary file's name: with the process id
/// and a counter it stays well under the 255 bytes most file systems allow in a name, however
/// long the destination's name.
const TEMP_NAME_BYTES: usize = 64;

/// The folder a path is in (`.` for a bare file name).
fn folder(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// The start of `s`, at most `max` bytes, cut at a character boundary.
fn cut(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Creates a fresh temporary file next to `path`: hidden, named after it (its first
/// [`TEMP_NAME_BYTES`] bytes), never an existing file.
fn temp_file(path: &Path) -> io::Result<(PathBuf, File)> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?
        .to_string_lossy();
    let name = cut(&name, TEMP_NAME_BYTES);
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

/// How an output path is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A regular file, or nothing yet: replaced atomically. The path is the one to replace:
    /// a symbolic link's target.
    File(PathBuf),
    /// A character device or a FIFO: written to directly, never replaced.
    Stream(PathBuf),
}

/// Whether a file type is one written to directly: a character device or a FIFO.
fn is_stream(t: &fs::FileType) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        t.is_char_device() || t.is_fifo()
    }
    #[cfg(not(unix))]
    {
        let _ = t;
        false
    }
}

/// Says how `path` is to be written, or why it cannot be: a folder, a block device or a
/// socket, a symbolic link to nothing.
pub fn target(path: &Path) -> io::Result<Target> {
    match fs::metadata(path) {
        Ok(m) if m.is_file() => {
            let is_link = fs::symlink_metadata(path).is_ok_and(|l| l.file_type().is_symlink());
            Ok(Target::File(if is_link {
                fs::canonicalize(path)?
            } else {
                path.to_path_buf()
            }))
        }
        Ok(m) if is_stream(&m.file_type()) => Ok(Target::Stream(path.to_path_buf())),
        Ok(m) if m.is_dir() => Err(io::Error::new(io::ErrorKind::IsADirectory, "is a folder")),
        Ok(_) => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file, a character device or a FIFO; left as it is",
        )),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if fs::symlink_metadata(path).is_ok() {
                return Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    "a symbolic link to nothing; left as it is",
                ));
            }
            Ok(Target::File(path.to_path_buf()))
        }
        Err(e) => Err(e),
    }
}

/// Writes `path` atomically with what `fill` writes. On error nothing at `path` changes and the
/// temporary file is gone. A character device or FIFO is written to directly, a symbolic link
/// followed ([`target`]).
pub fn write(path: &Path, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    match target(path)? {
        Target::File(p) => write_file(&p, fill, true),
        Target::Stream(p) => {
            let mut w = BufWriter::new(OpenOptions::new().write(true).open(p)?);
            fill(&mut w)?;
            w.flush()
        }
    }
}

/// Like [`write`], for one of many files written into one folder, whose path is a regular file
/// or nothing (the caller checks): the folder itself is not synced; call [`sync_folder`] once
/// they are all written.
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

    /// A new empty folder, and the path of `name` in it.
    fn scratch(name: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(name);
        (dir, path)
    }

    /// The report at `path` reads `text`, and no temporary file is left beside it.
    fn holds_only(path: &Path, text: &str) {
        assert_eq!(fs::read_to_string(path).expect("read"), text);
        let name = path.file_name().expect("name").to_string_lossy().into_owned();
        assert_eq!(leftovers(path.parent().expect("folder")), [name]);
    }

    #[test]
    fn writes_and_replaces() {
        let (_dir, path) = scratch("marks.csv");
        write(&path, |w| w.write_all(b"first")).expect("writes");
        write(&path, |w| w.write_all(b"second")).expect("writes");
        holds_only(&path, "second");
    }

    #[test]
    fn a_failing_writer_leaves_the_old_report() {
        let (_dir, path) = scratch("marks.csv");
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
        holds_only(&path, "old report");
    }

    #[test]
    fn a_failing_rename_removes_the_temporary_file() {
        // A folder in the way: the rename fails.
        let (dir, path) = scratch("report.html");
        fs::create_dir(&path).expect("mkdir");
        fs::write(path.join("keep"), "x").expect("write");
        assert!(write(&path, |w| w.write_all(b"<html>")).is_err());
        assert_eq!(leftovers(dir.path()), ["report.html"]);
        assert!(path.join("keep").exists());
    }

    #[test]
    fn a_missing_folder_is_an_error() {
        let (dir, path) = scratch("no/such/folder/marks.csv");
        assert!(write(&path, |w| w.write_all(b"x")).is_err());
        assert!(leftovers(dir.path()).is_empty());
    }

    /// A name of 250 bytes (file systems allow 255): the temporary file's name must fit too.
    #[test]
    fn a_long_name_gets_a_short_temporary_name() {
        let name = format!("{}.md", "é".repeat(123) + "x");
        assert_eq!(name.len(), 250);
        let (_dir, path) = scratch(&name);
        write(&path, |w| w.write_all(b"feedback")).expect("writes");
        write_many(&path, |w| w.write_all(b"again")).expect("writes");
        holds_only(&path, "again");
        assert_eq!(cut("aé", 2), "a");
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_followed_and_kept() {
        let (dir, link) = scratch("marks.csv");
        fs::create_dir(dir.path().join("real")).expect("mkdir");
        let real = dir.path().join("real/marks.csv");
        fs::write(&real, "old").expect("write");
        std::os::unix::fs::symlink("real/marks.csv", &link).expect("symlink");
        write(&link, |w| w.write_all(b"new")).expect("writes");
        assert!(fs::symlink_metadata(&link).expect("link").file_type().is_symlink());
        holds_only(&real, "new");
        // A link to nothing is left alone.
        let dangling = dir.path().join("dangling.csv");
        std::os::unix::fs::symlink("nowhere.csv", &dangling).expect("symlink");
        assert!(write(&dangling, |w| w.write_all(b"x")).is_err());
        assert!(fs::symlink_metadata(&dangling).expect("link").file_type().is_symlink());
        assert!(!dir.path().join("nowhere.csv").exists());
    }

    /// A FIFO is written to, not replaced (a character device is tested in
    /// tests/adversarial/outputs.rs).
    #[cfg(unix)]
    #[test]
    fn a_fifo_is_written_through() {
        use std::os::unix::fs::FileTypeExt;
        let (dir, fifo) = scratch("pipe.csv");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            panic!("mkfifo failed: cannot test FIFOs here");
        }
        // The reader is left behind if the test fails (it would wait for a writer forever).
        let (tx, rx) = std::sync::mpsc::channel();
        {
            let fifo = fifo.clone();
            std::thread::spawn(move || tx.send(fs::read_to_string(fifo).expect("read fifo")));
        }
        assert_eq!(target(&fifo).expect("target"), Target::Stream(fifo.clone()));
        write(&fifo, |w| w.write_all(b"through")).expect("writes");
        let read = rx.recv_timeout(std::time::Duration::from_secs(10)).expect("read");
        assert_eq!(read, "through");
        assert!(fs::metadata(&fifo).expect("fifo").file_type().is_fifo());
        assert_eq!(leftovers(dir.path()), ["pipe.csv"]);
    }
}
