//! Durable file writes: temp file in the same folder → fsync → rename → fsync the folder, so a
//! crash or power loss leaves either the old file or the new one, never a torn one.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

use crate::{Error, Result};

/// Replaces `path` with `bytes` atomically. The file is private to the user (0600 on Unix).
pub(crate) fn atomic_write(path: &Path, bytes: &[u8]) -> Result<()> {
    atomic_write_with(path, |w| w.write_all(bytes).map_err(Error::io("write a file")))
}

/// Replaces `path` with whatever `fill` writes, atomically: a private temp file in the same
/// folder → fsync → rename → fsync the folder. On any error the temp file is removed and
/// `path` is untouched.
pub(crate) fn atomic_write_with<T>(path: &Path, fill: impl FnOnce(&mut dyn Write) -> Result<T>) -> Result<T> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        Some(_) => Path::new("."),
        None => return Err(Error::Internal("file without a folder")),
    };
    let name = path.file_name().ok_or(Error::Internal("file without a name"))?.to_string_lossy();
    let suffix = hex::encode(crate::keys::crypto::random::<6>()?);
    let tmp = dir.join(format!(".{name}.{suffix}.tmp"));
    let result = (|| {
        let mut w = std::io::BufWriter::new(private_create_new(&tmp)?);
        let out = fill(&mut w)?;
        let f = w.into_inner().map_err(|e| Error::io("write a file")(e.into_error()))?;
        f.sync_all().map_err(Error::io("flush a file to disk"))?;
        drop(f);
        std::fs::rename(&tmp, path).map_err(Error::io("replace a file"))?;
        sync_dir(dir)?;
        Ok(out)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Creates a new file that only the current user can read; fails if it exists.
pub(crate) fn private_create_new(path: &Path) -> Result<File> {
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path).map_err(Error::io("create a file"))
}

/// Creates `dir` (and parents) readable only by the current user.
pub(crate) fn create_private_dir(dir: &Path) -> Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir).map_err(Error::io("create the vault folder"))
}

/// Flushes a finished file's contents to the disk.
pub(crate) fn sync_file(path: &Path) -> Result<()> {
    File::open(path).and_then(|f| f.sync_all()).map_err(Error::io("flush a file"))
}

/// Makes a rename or creation inside `dir` durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        File::open(dir).and_then(|d| d.sync_all()).map_err(Error::io("flush a folder to disk"))?;
    }
    #[cfg(not(unix))]
    {
        // Windows has no directory fsync; NTFS journals the rename itself.
        let _ = dir;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("keys.json");
        atomic_write(&p, b"one").unwrap();
        atomic_write(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "key file must not be readable by others");
        }
    }

    #[test]
    fn failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("missing-folder").join("keys.json");
        assert!(atomic_write(&p, b"x").is_err());
        let ok = dir.path().join("keys.json");
        atomic_write(&ok, b"old").unwrap();
        // A folder where the file should be makes the rename fail: the old file must survive.
        let blocked = dir.path().join("blocked");
        std::fs::create_dir(&blocked).unwrap();
        assert!(atomic_write(&blocked, b"new").is_err());
        assert_eq!(std::fs::read(&ok).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn a_failing_stream_keeps_the_old_file_and_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("copy.pdf");
        atomic_write(&p, b"old").unwrap();
        let e = atomic_write_with(&p, |w| {
            w.write_all(b"half of the new").map_err(Error::io("write"))?;
            Err::<(), _>(Error::NotFound("attachment"))
        })
        .unwrap_err();
        assert_eq!(e.code(), crate::Code::NotFound);
        assert_eq!(std::fs::read(&p).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let n = atomic_write_with(&p, |w| w.write_all(b"new").map_err(Error::io("write")).map(|()| 3)).unwrap();
        assert_eq!((n, std::fs::read(&p).unwrap()), (3, b"new".to_vec()));
    }
}
