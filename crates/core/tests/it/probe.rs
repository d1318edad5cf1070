use std::sync::{Arc, Barrier};
use confidant_core::*;

#[test]
fn probe_race() {
    let n = 8;
    let barrier = Arc::new(Barrier::new(n));
    let tmp = tempfile::tempdir().unwrap();
    let hs: Vec<_> = (0..n).map(|i| {
        let b = barrier.clone();
        let dir = tmp.path().join(format!("v{i}"));
        std::thread::spawn(move || {
            b.wait();
            Vault::create(&dir, &Passphrase::from(crate::util::PASS), crate::util::kdf()).map(|_| ()).map_err(|e| format!("{e:?}"))
        })
    }).collect();
    let rs: Vec<_> = hs.into_iter().map(|h| h.join().unwrap()).collect();
    let errs: Vec<_> = rs.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(errs.is_empty(), "{errs:?}");
}

#[test]
fn probe_raw() {
    // The same sequence as the core's db::open_keyed, straight on rusqlite, to see the SQLite error.
    let n = 8;
    let barrier = Arc::new(Barrier::new(n));
    let tmp = tempfile::tempdir().unwrap();
    let hs: Vec<_> = (0..n).map(|i| {
        let b = barrier.clone();
        let p = tmp.path().join(format!("v{i}.db"));
        std::thread::spawn(move || -> Result<(), String> {
            b.wait();
            use rusqlite::OpenFlags;
            let c = rusqlite::Connection::open_with_flags(&p, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_CREATE).map_err(|e| format!("open {e:?}"))?;
            let _ = c.execute_batch("PRAGMA cipher_log_level = NONE;");
            let v: String = c.query_row("PRAGMA cipher_version", [], |r| r.get(0)).unwrap_or_default();
            if v.trim().is_empty() { return Err("no cipher".into()); }
            c.execute_batch(&format!("PRAGMA key = \"x'{}'\";", "AB".repeat(32))).map_err(|e| format!("key {e:?}"))?;
            c.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0)).map_err(|e| format!("read {e:?}"))?;
            Ok(())
        })
    }).collect();
    let errs: Vec<_> = hs.into_iter().filter_map(|h| h.join().unwrap().err()).collect();
    assert!(errs.is_empty(), "{errs:?}");
}
