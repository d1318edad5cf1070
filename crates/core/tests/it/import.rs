//! Import of export packages (GDPR art. 20, the receiving side): a package read into another
//! vault exports again as the same records; every check refuses with its name and leaves the
//! vault exactly as it was; a batch is all or nothing, and a cancellation rolls it back.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use confidant_core::import::ImportCheck;
use confidant_core::search::SearchQuery;
use confidant_core::{CancelReason, CancelToken, Code, Error, JobCtl, ObjectKind};
use serde_json::Value;

use crate::export::{generated, request, Echo};
use crate::util::{assert_same_tables, dump_db, new_vault, sha256_hex, Fixture};

/// A vault of generated clients, each exported to its own package folder.
fn packages(seed: u64) -> (Fixture, tempfile::TempDir, Vec<(PathBuf, Vec<String>)>) {
    let mut f = new_vault();
    let clients = generated(&mut f.vault, seed);
    let out = tempfile::tempdir().unwrap();
    let mut pkgs = Vec::new();
    for (id, marks) in clients {
        let got = f.vault.export_client(&request(id), out.path(), &Echo, &mut JobCtl::quiet()).unwrap();
        pkgs.push((got.path, marks));
    }
    (f, out, pkgs)
}

/// `data.json` without what differs between two vaults by design: when and by which practice
/// it was exported, the log, the invoices (the sending practice's bookkeeping, which the
/// receiving one does not take over) and the ids (each URN becomes its order of first
/// appearance).
fn comparable(dir: &Path) -> Value {
    let mut v: Value = serde_json::from_slice(&std::fs::read(dir.join("data.json")).unwrap()).unwrap();
    for k in ["exported_at", "practice", "access_log", "disclosure", "invoices"] {
        v.as_object_mut().unwrap().remove(k);
    }
    fn walk(v: &mut Value, ids: &mut HashMap<String, usize>) {
        match v {
            Value::String(s) if s.starts_with("urn:confidant:") => {
                let n = ids.len();
                *s = format!("id{}", ids.entry(s.clone()).or_insert(n));
            }
            Value::Array(a) => a.iter_mut().for_each(|x| walk(x, ids)),
            Value::Object(o) => o.values_mut().for_each(|x| walk(x, ids)),
            _ => {}
        }
    }
    walk(&mut v, &mut HashMap::new());
    v
}

fn paths(pkgs: &[(PathBuf, Vec<String>)]) -> Vec<&Path> {
    pkgs.iter().map(|(p, _)| p.as_path()).collect()
}

fn dump(f: &mut Fixture) -> std::collections::BTreeMap<String, Vec<String>> {
    let key = f.vault.database_key().unwrap();
    dump_db(&f.dir.join("vault.db"), &key)
}

fn rejected(r: confidant_core::Result<impl std::fmt::Debug>) -> ImportCheck {
    match r {
        Err(Error::ImportRejected(c)) => c,
        other => panic!("expected a refused import, got {other:?}"),
    }
}

#[test]
fn packages_read_into_another_vault_export_again_as_the_same_records() {
    for seed in [3, 2024] {
        let (_a, _out, pkgs) = packages(seed);
        let mut b = new_vault();
        let report = b.vault.import_packages(&paths(&pkgs), &mut JobCtl::quiet()).unwrap();
        assert_eq!(report.client_ids.len(), pkgs.len());
        let again = tempfile::tempdir().unwrap();
        let mut entries = 0;
        for ((dir, marks), id) in pkgs.iter().zip(&report.client_ids) {
            let got = b.vault.export_client(&request(*id), again.path(), &Echo, &mut JobCtl::quiet()).unwrap();
            assert_eq!(comparable(&got.path), comparable(dir), "seed {seed}: client {id} differs after the import");
            let sent: Value = serde_json::from_slice(&std::fs::read(dir.join("data.json")).unwrap()).unwrap();
            assert_eq!(sent["invoices"].as_array().map(Vec::len), Some(1), "the package carries the client's invoice");
            assert!(
                b.vault.invoices(Some(*id), chrono::Local::now().date_naive()).unwrap().is_empty(),
                "not taken over"
            );
            entries += b.vault.list_entries(*id).unwrap().len();
            // Every text is searchable in the new vault, within its client.
            for m in marks.iter().filter(|m| m.contains("BODY") || m.contains("AMEND")) {
                let q = SearchQuery { text: m.to_lowercase(), client_id: Some(*id), limit: 5, oldest_first: false };
                let hits = b.vault.search(&q).unwrap();
                assert!(hits.iter().any(|h| h.kind == ObjectKind::Entry), "seed {seed}: {m} not found");
            }
        }
        assert_eq!(report.entries as usize, entries);
        // One log row per client received, naming that client.
        let log = b.vault.access_log(None, 1000).unwrap();
        let mut logged: Vec<i64> =
            log.iter().filter(|l| l.action.as_str() == "import").filter_map(|l| l.client_id).collect();
        logged.sort_unstable();
        let mut want = report.client_ids.clone();
        want.sort_unstable();
        assert_eq!(logged, want);
    }
}

#[test]
fn the_same_package_is_refused_the_second_time_and_the_vault_is_unchanged() {
    let (_a, _out, pkgs) = packages(11);
    let mut b = new_vault();
    b.vault.import_packages(&paths(&pkgs[..1]), &mut JobCtl::quiet()).unwrap();
    let before = dump(&mut b);
    let again = b.vault.import_packages(&paths(&pkgs[..1]), &mut JobCtl::quiet());
    assert_eq!(rejected(again), ImportCheck::AlreadyImported);
    // The same client twice in one batch, and a batch whose last package fails: nothing of it.
    let twice = b.vault.import_packages(&[pkgs[1].0.as_path(), pkgs[1].0.as_path()], &mut JobCtl::quiet());
    assert_eq!(rejected(twice), ImportCheck::AlreadyImported);
    let late = b.vault.import_packages(&[pkgs[2].0.as_path(), pkgs[0].0.as_path()], &mut JobCtl::quiet());
    assert_eq!(rejected(late), ImportCheck::AlreadyImported);
    assert_same_tables(&before, &dump(&mut b), "after refused imports");
}

#[test]
fn a_cancelled_import_leaves_nothing() {
    let (_a, _out, pkgs) = packages(5);
    let mut b = new_vault();
    let before = dump(&mut b);
    let token = CancelToken::new();
    let t = token.clone();
    let mut ctl = JobCtl::new(token, move |p| {
        if p.done == 2 {
            t.cancel(CancelReason::Person);
        }
    })
    .unthrottled();
    let r = b.vault.import_packages(&paths(&pkgs), &mut ctl);
    assert_eq!(r.unwrap_err().code(), Code::Cancelled);
    assert_same_tables(&before, &dump(&mut b), "after a cancelled import");

    // Cancelled while indexing (the rows of every package are in by then): nothing either.
    let n = pkgs.len() as u64;
    let token = CancelToken::new();
    let t = token.clone();
    let mut ctl = JobCtl::new(token, move |p| {
        if p.done == n + 1 {
            t.cancel(CancelReason::Person);
        }
    })
    .unthrottled();
    let r = b.vault.import_packages(&paths(&pkgs), &mut ctl);
    assert_eq!(r.unwrap_err().code(), Code::Cancelled);
    assert_same_tables(&before, &dump(&mut b), "after an import cancelled while indexing");
    assert!(b.vault.import_packages(&paths(&pkgs), &mut JobCtl::quiet()).is_ok(), "it can be run again");
}

/// Progress counts each package twice (its rows, then its search index), rises step by step
/// and ends at the total; and the clients, indexed after all rows, are found by name.
#[test]
fn progress_runs_through_rows_then_the_index_and_clients_are_searchable() {
    let (_a, _out, pkgs) = packages(8);
    let mut b = new_vault();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    let mut ctl = JobCtl::new(CancelToken::new(), move |p| log.lock().unwrap().push((p.done, p.total))).unthrottled();
    let report = b.vault.import_packages(&paths(&pkgs), &mut ctl).unwrap();
    let n = pkgs.len() as u64;
    let seen = seen.lock().unwrap().clone();
    let want: Vec<(u64, u64)> = (0..=2 * n).map(|d| (d, 2 * n)).collect();
    assert_eq!(seen, want);
    for id in &report.client_ids {
        let c = b.vault.get_client(*id).unwrap();
        let q = SearchQuery { text: c.family_name.to_lowercase(), client_id: None, limit: 50, oldest_first: false };
        let hits = b.vault.search(&q).unwrap();
        assert!(hits.iter().any(|h| h.kind == ObjectKind::Client && h.client_id == *id), "client {id} by name");
    }
}

/// A copy of package `src` in `dst`, with `data.json` changed by `edit` and the manifest
/// updated to match, so only the check under test fails.
fn edited(src: &Path, dst: &Path, edit: impl FnOnce(&mut Value)) -> PathBuf {
    let to = dst.join(src.file_name().unwrap());
    copy_dir(src, &to);
    let mut data: Value = serde_json::from_slice(&std::fs::read(to.join("data.json")).unwrap()).unwrap();
    edit(&mut data);
    let bytes = serde_json::to_vec_pretty(&data).unwrap();
    std::fs::write(to.join("data.json"), &bytes).unwrap();
    rehash(&to, "data.json", &bytes);
    to
}

fn rehash(dir: &Path, name: &str, bytes: &[u8]) {
    let mut m: Value = serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    for f in m["files"].as_array_mut().unwrap() {
        if f["path"] == name {
            f["sha256"] = sha256_hex(bytes).into();
            f["size"] = bytes.len().into();
        }
    }
    std::fs::write(dir.join("manifest.json"), serde_json::to_vec_pretty(&m).unwrap()).unwrap();
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap().flatten() {
        if e.path().is_dir() {
            copy_dir(&e.path(), &dst.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), dst.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn every_bad_package_is_refused_naming_its_check_and_nothing_is_written() {
    let (_a, _out, pkgs) = packages(7);
    // A package with an attachment, so the file checks have something to bite on.
    let src = pkgs
        .iter()
        .map(|(p, _)| p.clone())
        .find(|p| p.join("attachments").read_dir().is_ok_and(|mut d| d.next().is_some()))
        .expect("a generated client has an attachment");
    let attachment = src.join("attachments").read_dir().unwrap().next().unwrap().unwrap().file_name();
    let work = tempfile::tempdir().unwrap();
    let mut n = 0;
    let mut case = |name: &str| {
        n += 1;
        let to = work.path().join(format!("{n}-{name}"));
        copy_dir(&src, &to);
        to
    };
    let mut cases: Vec<(PathBuf, ImportCheck)> = Vec::new();
    cases.push((work.path().join("absent"), ImportCheck::NotAPackage));
    let empty = case("empty");
    std::fs::remove_file(empty.join("manifest.json")).unwrap();
    cases.push((empty, ImportCheck::NotAPackage));
    let garbled = case("manifest");
    std::fs::write(garbled.join("manifest.json"), b"{\"format\": 1").unwrap();
    cases.push((garbled, ImportCheck::Manifest));
    let escape = case("escape");
    let mut m: Value = serde_json::from_slice(&std::fs::read(escape.join("manifest.json")).unwrap()).unwrap();
    m["files"][0]["path"] = "../../etc/passwd".into();
    std::fs::write(escape.join("manifest.json"), serde_json::to_vec(&m).unwrap()).unwrap();
    cases.push((escape, ImportCheck::Manifest));
    let missing = case("missing");
    std::fs::remove_file(missing.join("attachments").join(&attachment)).unwrap();
    cases.push((missing, ImportCheck::MissingFile));
    let flipped = case("flipped");
    let mut bytes = std::fs::read(flipped.join("attachments").join(&attachment)).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(flipped.join("attachments").join(&attachment), bytes).unwrap();
    cases.push((flipped, ImportCheck::FileHash));
    let data = case("data");
    let mut bytes = std::fs::read(data.join("data.json")).unwrap();
    bytes.push(b' ');
    std::fs::write(data.join("data.json"), bytes).unwrap();
    cases.push((data, ImportCheck::FileHash));
    let w = work.path();
    cases.push((edited(&src, &w.join("format"), |d| d["format"] = "something-else".into()), ImportCheck::Format));
    cases.push((edited(&src, &w.join("newer"), |d| d["version"] = 99.into()), ImportCheck::NewerVersion));
    let no_name = |d: &mut Value| {
        d["client"].as_object_mut().unwrap().remove("given_name");
    };
    cases.push((edited(&src, &w.join("shape"), no_name), ImportCheck::Schema));
    let extra = |d: &mut Value| d["client"]["shoe_size"] = 44.into();
    cases.push((edited(&src, &w.join("extra"), extra), ImportCheck::Schema));
    let orphan = |d: &mut Value| d["entries"][0]["course_id"] = "urn:confidant:x:course:999".into();
    cases.push((edited(&src, &w.join("orphan"), orphan), ImportCheck::Reference));
    let rewritten = |d: &mut Value| {
        let e = d["entries"].as_array_mut().unwrap().iter_mut().find(|e| e["status"] == "signed").unwrap();
        e["body"] = "En annan text än den som signerades".into();
    };
    cases.push((edited(&src, &w.join("history"), rewritten), ImportCheck::Reference));
    let swapped = |d: &mut Value| d["attachments"][0]["sha256"] = "00".repeat(32).into();
    cases.push((edited(&src, &w.join("swapped"), swapped), ImportCheck::Reference));
    // Sessions: a note that is not in the package; the attended session's note on a missed one.
    let lost_note = |d: &mut Value| {
        let s = d["sessions"].as_array_mut().unwrap().iter_mut().find(|s| s["attendance"] == "attended").unwrap();
        s["entry_id"] = "urn:confidant:x:entry:999".into();
    };
    cases.push((edited(&src, &w.join("lost-note"), lost_note), ImportCheck::Reference));
    let missed_note = |d: &mut Value| {
        let sessions = d["sessions"].as_array_mut().unwrap();
        let note = sessions.iter().find(|s| s["attendance"] == "attended").unwrap()["entry_id"].clone();
        sessions.iter_mut().find(|s| s["attendance"] == "no_show").unwrap()["entry_id"] = note;
    };
    cases.push((edited(&src, &w.join("missed-note"), missed_note), ImportCheck::Reference));
    let rescored = |d: &mut Value| d["measures"][0]["score"] = 27.into();
    cases.push((edited(&src, &w.join("rescored"), rescored), ImportCheck::Reference));
    // The therapist's own instrument: a definition the rules refuse (a flag on item 0, which
    // would index before the first item), and a result naming one the package does not define.
    let bad_flag = |d: &mut Value| d["instruments"][0]["flag_items"] = serde_json::json!([0]);
    cases.push((edited(&src, &w.join("instrument-flag"), bad_flag), ImportCheck::Reference));
    let undefined = |d: &mut Value| {
        d["instruments"] = serde_json::json!([]);
    };
    cases.push((edited(&src, &w.join("instrument-undefined"), undefined), ImportCheck::Reference));
    let no_kind = |d: &mut Value| d["sessions"][0]["kind"] = "massage".into();
    cases.push((edited(&src, &w.join("session-kind"), no_kind), ImportCheck::Schema));

    let mut b = new_vault();
    let before = dump(&mut b);
    for (dir, check) in &cases {
        let r = b.vault.import_packages(&[dir.as_path()], &mut JobCtl::quiet());
        let ipc = r.as_ref().expect_err(&format!("{dir:?} was accepted")).to_ipc();
        assert_eq!(r.as_ref().unwrap_err().code(), Code::ImportRejected, "{dir:?}");
        assert_eq!(rejected(r), *check, "{dir:?}");
        // The message names the check and holds no path or personal data.
        assert!(ipc.message.contains(check.as_str()), "{}", ipc.message);
        assert!(!ipc.message.contains('/'), "{}", ipc.message);
    }
    // A field that breaks the rules of typing it in: a validation error naming the field.
    let long = edited(&src, &w.join("long"), |d| d["client"]["given_name"] = "x".repeat(500).into());
    let e = b.vault.import_packages(&[long.as_path()], &mut JobCtl::quiet()).unwrap_err();
    assert_eq!(e.code(), Code::Validation);
    // A good package after a bad one in the same batch: neither goes in.
    let good = pkgs.iter().find(|(p, _)| p != &src).unwrap().0.as_path();
    let r = b.vault.import_packages(&[good, cases[4].0.as_path()], &mut JobCtl::quiet());
    assert_eq!(rejected(r), ImportCheck::MissingFile);
    assert_same_tables(&before, &dump(&mut b), "after every refused package");
    // The untouched package still goes in.
    b.vault.import_packages(&[src.as_path()], &mut JobCtl::quiet()).unwrap();
}

#[test]
fn an_imported_client_can_be_erased_and_then_imported_again() {
    let (_a, _out, pkgs) = packages(13);
    let mut b = new_vault();
    let report = b.vault.import_packages(&paths(&pkgs[..1]), &mut JobCtl::quiet()).unwrap();
    let id = report.client_ids[0];
    let today = chrono::Utc::now().date_naive();
    let cause = confidant_core::erasure::ErasureCause::Request { received_on: today };
    let plan = b.vault.erasure_plan(id, cause, today).unwrap();
    b.vault.erase(id, cause, &plan.erased(), today, None, &mut JobCtl::quiet()).unwrap();
    b.vault.import_packages(&paths(&pkgs[..1]), &mut JobCtl::quiet()).unwrap();
}

#[test]
fn a_folder_of_packages_goes_in_together() {
    let (_a, out, pkgs) = packages(21);
    let mut b = new_vault();
    let report = b.vault.import_folders(&[out.path()], &mut JobCtl::quiet()).unwrap();
    assert_eq!(report.client_ids.len(), pkgs.len());
    // One package folder on its own is one package; a folder with none is not a package.
    let mut c = new_vault();
    assert_eq!(c.vault.import_folders(&[pkgs[0].0.as_path()], &mut JobCtl::quiet()).unwrap().client_ids.len(), 1);
    let empty = tempfile::tempdir().unwrap();
    std::fs::create_dir(empty.path().join("photos")).unwrap();
    assert_eq!(rejected(c.vault.import_folders(&[empty.path()], &mut JobCtl::quiet())), ImportCheck::NotAPackage);
}
