//! Tests of the parent module.

use super::*;
use crate::testing::unlocked_vault;
use crate::Vault;

fn tamper(v: &mut Vault, sql: &str) {
    let s = v.session().unwrap();
    s.raw_for_tests()
        .execute_batch(&format!("DROP TRIGGER access_log_no_update; DROP TRIGGER access_log_no_delete; {sql}"))
        .unwrap();
}

fn seeded() -> (tempfile::TempDir, Vault) {
    let (dir, mut v) = unlocked_vault();
    for _ in 0..5 {
        v.list_clients(&Default::default()).unwrap();
    }
    assert!(v.verify_access_log().unwrap().rows >= 6);
    (dir, v)
}

fn key(v: &mut Vault) -> [u8; 32] {
    *v.session().unwrap().log_key
}

fn rows(v: &mut Vault) -> i64 {
    v.session().unwrap().raw_for_tests().query_row("SELECT count(*) FROM access_log", [], |r| r.get(0)).unwrap()
}

fn row_mac(v: &mut Vault, seq: i64) -> String {
    v.session()
        .unwrap()
        .raw_for_tests()
        .query_row("SELECT mac FROM access_log WHERE seq = ?1", [seq], |r| r.get(0))
        .unwrap()
}

fn head_value(v: &mut Vault) -> String {
    v.session()
        .unwrap()
        .raw_for_tests()
        .query_row("SELECT value FROM meta WHERE key = 'log_head'", [], |r| r.get(0))
        .unwrap()
}

fn set_head(v: &mut Vault, value: &str) {
    v.session().unwrap().raw_for_tests().execute("UPDATE meta SET value = ?1 WHERE key = 'log_head'", [value]).unwrap();
}

/// Verification must fail with `LogTampered` at `seq` for `problem`.
fn assert_verify_fails(v: &mut Vault, seq: i64, problem: &str) {
    match v.verify_access_log() {
        Err(Error::LogTampered { seq: s, problem: p }) => {
            assert_eq!((s, p), (seq, problem), "verify reported the wrong place or reason")
        }
        other => panic!("expected LogTampered {{ seq: {seq}, problem: {problem:?} }}, got {other:?}"),
    }
}

/// [`assert_verify_fails`], and appending (any logged operation) must be refused with the
/// same variant and add no row. (An append checks the head and the last row, not the whole
/// chain: damage further back is for verification to find.)
fn assert_tampered(v: &mut Vault, seq: i64, problem: &str) {
    assert_verify_fails(v, seq, problem);
    let before = rows(v);
    match v.list_clients(&Default::default()) {
        Err(Error::LogTampered { .. }) => {}
        other => panic!("an append onto a tampered log must be refused, got {other:?}"),
    }
    assert_eq!(rows(v), before, "nothing appended");
}

/// Rewrites the whole chain as a version without head MACs wrote it: old-style row MACs and
/// a `seq:mac` head.
fn make_legacy(v: &mut Vault) {
    let k = key(v);
    let s = v.session().unwrap();
    s.raw_for_tests().execute_batch("DROP TRIGGER access_log_no_update; DROP TRIGGER access_log_no_delete;").unwrap();
    type Row = (i64, String, String, Option<String>, Option<i64>, Option<i64>);
    let all: Vec<Row> = s
        .raw_for_tests()
        .prepare("SELECT seq, at, action, object_kind, object_id, client_id FROM access_log ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut prev = GENESIS.to_owned();
    for (seq, at, action, kind, id, client) in &all {
        let m = mac(&k, RowVersion::V1, &prev, *seq, at, action, kind.as_deref(), *id, *client);
        s.raw_for_tests()
            .execute("UPDATE access_log SET prev_mac = ?2, mac = ?3 WHERE seq = ?1", params![seq, prev, m])
            .unwrap();
        prev = m;
    }
    let last = all.last().unwrap().0;
    s.raw_for_tests().execute("UPDATE meta SET value = ?1 WHERE key = 'log_head'", [format!("{last}:{prev}")]).unwrap();
    s.raw_for_tests()
        .execute_batch(
            "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
             BEGIN SELECT RAISE(ABORT, 'access log is append-only'); END;
             CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
             BEGIN SELECT RAISE(ABORT, 'access log is append-only'); END;",
        )
        .unwrap();
}

#[test]
fn append_only_by_trigger() {
    let (_d, mut v) = seeded();
    let s = v.session().unwrap();
    for sql in ["DELETE FROM access_log WHERE seq = 2", "UPDATE access_log SET action = 'x' WHERE seq = 2"] {
        let e = s.raw_for_tests().execute(sql, []).unwrap_err();
        assert!(e.to_string().contains("access log is append-only"), "{sql}: {e}");
    }
}

#[test]
fn head_carries_its_own_mac() {
    let (_d, mut v) = seeded();
    let n = rows(&mut v);
    let k = key(&mut v);
    let m = row_mac(&mut v, n);
    let tag = head_tag(&k, n, &m).unwrap();
    assert_eq!(head_value(&mut v), format!("{n}:{m}:{tag}"));
    // Under its own key: not the row MAC key, not a copy of the row MAC.
    let mut under_log_key = <Hmac<Sha256> as Mac>::new_from_slice(&k).unwrap();
    under_log_key.update(format!("head\n{n}\n{m}").as_bytes());
    assert_ne!(tag, hex::encode(under_log_key.finalize().into_bytes()));
    assert_ne!(tag, m);
}

#[test]
fn detects_an_edited_row() {
    let (_d, mut v) = seeded();
    tamper(&mut v, "UPDATE access_log SET object_id = 999 WHERE seq = 3;");
    assert_verify_fails(&mut v, 3, "the row was altered");
}

#[test]
fn detects_a_deleted_row_in_the_middle_and_at_the_end() {
    let (_d, mut v) = seeded();
    tamper(&mut v, "DELETE FROM access_log WHERE seq = 2;");
    assert_verify_fails(&mut v, 2, "a row is missing or was inserted");

    let (_d2, mut v2) = seeded();
    let n = rows(&mut v2);
    tamper(&mut v2, "DELETE FROM access_log WHERE seq = (SELECT max(seq) FROM access_log);");
    assert_tampered(&mut v2, n, ROWS_AT_END);
}

/// The last k rows removed and the head rewritten to name the new last row, as an attacker
/// without the head key can: in the old untagged form (what verified before), with the old
/// tag kept, with a tag made under the log key, or with the head left alone.
#[test]
fn cutting_the_last_rows_and_rewriting_the_head_is_detected() {
    for k in 1..=3 {
        for how in ["untagged", "old tag", "log key tag", "head kept"] {
            let (_d, mut v) = seeded();
            let n = rows(&mut v);
            let keep = n - k;
            let m = row_mac(&mut v, keep);
            let old_tag = head_value(&mut v).rsplit(':').next().unwrap().to_owned();
            let mut forged = <Hmac<Sha256> as Mac>::new_from_slice(&key(&mut v)).unwrap();
            forged.update(format!("head\n{keep}\n{m}").as_bytes());
            let forged = hex::encode(forged.finalize().into_bytes());
            tamper(&mut v, &format!("DELETE FROM access_log WHERE seq > {keep};"));
            let (head, problem) = match how {
                "untagged" => (Some(format!("{keep}:{m}")), HEAD_UNAUTHENTICATED),
                "old tag" => (Some(format!("{keep}:{m}:{old_tag}")), HEAD_ALTERED),
                "log key tag" => (Some(format!("{keep}:{m}:{forged}")), HEAD_ALTERED),
                _ => (None, ROWS_AT_END),
            };
            if let Some(h) = head {
                set_head(&mut v, &h);
            }
            assert_eq!(rows(&mut v), keep);
            assert_tampered(&mut v, keep + 1, problem);
        }
    }
}

#[test]
fn a_damaged_head_is_tampered() {
    for bad in ["", "x", "7", "7:zz", "7:abc:def", "seven:0000"] {
        let (_d, mut v) = seeded();
        set_head(&mut v, bad);
        assert_tampered(&mut v, 0, HEAD_DAMAGED);
    }
    // A missing head with rows present.
    let (_d, mut v) = seeded();
    let n = rows(&mut v);
    v.session().unwrap().raw_for_tests().execute("DELETE FROM meta WHERE key = 'log_head'", []).unwrap();
    assert_tampered(&mut v, n + 1, HEAD_MISSING);
}

/// A forged row spliced into the middle with correct linkage of its own (its prev_mac is
/// the previous row's MAC, the next row now chains to it) and later rows renumbered.
#[test]
fn a_well_formed_row_inserted_in_the_middle_is_detected() {
    let (_d, mut v) = seeded();
    let n = rows(&mut v);
    let prev = row_mac(&mut v, 2);
    let wrong_key = [7u8; 32];
    let forged = mac(&wrong_key, RowVersion::V2, &prev, 3, "2026-01-01T00:00:00.000Z", "client_read", None, None, None);
    tamper(
        &mut v,
        &format!(
            "UPDATE access_log SET seq = -seq WHERE seq >= 3;
             UPDATE access_log SET seq = -seq + 1 WHERE seq < 0;
             UPDATE access_log SET prev_mac = '{forged}' WHERE seq = 4;
             INSERT INTO access_log (seq, at, action, prev_mac, mac)
             VALUES (3, '2026-01-01T00:00:00.000Z', 'client_read', '{prev}', '{forged}');"
        ),
    );
    // The head still names the old last row, now renumbered: move it along consistently.
    let last = row_mac(&mut v, n + 1);
    let tag = head_tag(&key(&mut v), n + 1, &last).unwrap();
    set_head(&mut v, &format!("{}:{last}:{tag}", n + 1));
    assert_eq!(rows(&mut v), n + 1);
    assert_verify_fails(&mut v, 3, "the row was altered");
}

#[test]
fn detects_an_inserted_row_at_the_end() {
    let (_d, mut v) = seeded();
    let n = rows(&mut v);
    tamper(
        &mut v,
        "INSERT INTO access_log (seq, at, action, prev_mac, mac)
         SELECT seq + 1, '2026-01-01T00:00:00.000Z', 'unlock', mac, 'forged'
         FROM access_log ORDER BY seq DESC LIMIT 1;",
    );
    // The head still names the row before: the append is refused there, verify finds the row.
    assert_tampered(&mut v, n + 1, "the row was altered");
}

#[test]
fn an_old_vault_is_upgraded_by_its_first_append_and_cannot_be_downgraded() {
    let (_d, mut v) = seeded();
    make_legacy(&mut v);
    let n = rows(&mut v);
    assert_eq!(head_value(&mut v).split(':').count(), 2, "an old-style head");
    // What an old version wrote verifies as it is.
    assert_eq!(v.verify_access_log().unwrap().rows, n);

    // The first append (here the lock/unlock) upgrades the head.
    let mut v = {
        let dir = v.dir().to_owned();
        drop(v);
        let mut v = Vault::open(&dir).unwrap();
        v.unlock(&crate::Credential::Passphrase(crate::Passphrase::from(crate::testing::PASS))).unwrap();
        v
    };
    let head = head_value(&mut v);
    assert_eq!(head.split(':').count(), 3, "the unlock wrote a tagged head: {head}");
    assert_eq!(v.verify_access_log().unwrap().rows, n + 2, "lock and unlock appended");
    v.list_clients(&Default::default()).unwrap();

    // Cutting rows written since and putting back an untagged head is detected.
    let keep = n + 1;
    let m = row_mac(&mut v, keep);
    tamper(&mut v, &format!("DELETE FROM access_log WHERE seq > {keep};"));
    set_head(&mut v, &format!("{keep}:{m}"));
    assert_tampered(&mut v, keep + 1, HEAD_UNAUTHENTICATED);
}

#[test]
fn an_old_vault_with_a_broken_chain_is_not_upgraded() {
    let (_d, mut v) = seeded();
    make_legacy(&mut v);
    let head = head_value(&mut v);
    tamper(&mut v, "UPDATE access_log SET action = 'lock' WHERE seq = 2;");
    assert_tampered(&mut v, 2, "the row was altered");
    assert_eq!(head_value(&mut v), head, "the old head was not replaced");
}

#[test]
fn an_old_style_row_after_a_new_one_is_refused() {
    let (_d, mut v) = seeded();
    let k = key(&mut v);
    let n = rows(&mut v);
    let prev = row_mac(&mut v, n);
    let at = "2026-01-01T00:00:00.000Z";
    let m = mac(&k, RowVersion::V1, &prev, n + 1, at, "lock", None, None, None);
    let tag = head_tag(&k, n + 1, &m).unwrap();
    tamper(
        &mut v,
        &format!(
            "INSERT INTO access_log (seq, at, action, prev_mac, mac) VALUES ({}, '{at}', 'lock', '{prev}', '{m}');",
            n + 1
        ),
    );
    set_head(&mut v, &format!("{}:{m}:{tag}", n + 1));
    assert_verify_fails(&mut v, n + 1, "the row was altered");
}

#[test]
fn log_rows_hold_no_names() {
    let (_d, mut v) = unlocked_vault();
    let c = v.create_client(&crate::testing::client("Zlatanova", "Ingrid")).unwrap();
    v.get_client(c.id).unwrap();
    let s = v.session().unwrap();
    let dump: String = s
        .raw_for_tests()
        .query_row(
            "SELECT group_concat(action || coalesce(object_kind,'') || coalesce(object_id,''), '|') FROM access_log",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!dump.contains("Zlatanova") && !dump.contains("Ingrid"));
    assert!(dump.contains("client_create") && dump.contains("client_read"));
}

#[test]
fn writes_outside_the_audited_path_are_refused() {
    let (_d, mut v) = unlocked_vault();
    let attempt = |v: &mut Vault| {
        v.session().unwrap().reader().execute("INSERT INTO meta (key, value) VALUES ('sneaky', 'x')", []).unwrap_err()
    };
    assert_eq!(attempt(&mut v).sqlite_error_code(), Some(rusqlite::ErrorCode::ReadOnly));
    // The audited path writes, and the connection is read-only again afterwards.
    v.create_client(&crate::testing::client("Skrivs", "Via")).unwrap();
    assert_eq!(attempt(&mut v).sqlite_error_code(), Some(rusqlite::ErrorCode::ReadOnly));
}

fn rekeyed() -> (tempfile::TempDir, Vault, i64) {
    let (d, mut v) = seeded();
    let cur = crate::Credential::Passphrase(crate::Passphrase::from(crate::testing::PASS));
    let req = crate::rekey::RekeyRequest {
        reason: crate::rekey::RekeyReason::RecoveryLost,
        current: &cur,
        new_passphrase: None,
        kdf: crate::KdfChoice::Fixed(crate::Argon2Params::MINIMUM),
    };
    let anchored = v.rekey(&req, &mut crate::JobCtl::quiet()).unwrap().log_rows_anchored;
    v.list_clients(&Default::default()).unwrap();
    assert!(v.verify_access_log().unwrap().rows > anchored);
    (d, v, anchored)
}

#[test]
fn after_a_rekey_an_altered_row_of_the_old_key_is_detected() {
    let (_d, mut v, anchored) = rekeyed();
    tamper(&mut v, &format!("UPDATE access_log SET object_id = 99 WHERE seq = {}", anchored - 1));
    assert!(matches!(
        v.verify_access_log(),
        Err(Error::LogTampered { problem, .. }) if problem == "rows of an earlier key were altered"
    ));
}

#[test]
fn after_a_rekey_an_altered_anchor_is_detected() {
    let (_d, mut v, anchored) = rekeyed();
    // Moving the anchor back to hide the last old rows needs the new key's tag.
    tamper(
        &mut v,
        &format!(
            "UPDATE meta SET value = '{}' || substr(value, instr(value, ':')) WHERE key = 'log_anchor'",
            anchored - 1
        ),
    );
    assert!(matches!(
        v.verify_access_log(),
        Err(Error::LogTampered { problem, .. }) if problem == ANCHOR_ALTERED
    ));
}

#[test]
fn after_a_rekey_the_new_rows_are_still_protected_by_their_macs() {
    let (_d, mut v, anchored) = rekeyed();
    tamper(&mut v, &format!("UPDATE access_log SET action = 'lock' WHERE seq = {}", anchored + 1));
    assert!(matches!(v.verify_access_log(), Err(Error::LogTampered { .. })));
}

/// Prunes everything before row `keep` the way retention does.
fn prune_to(v: &mut Vault, keep: i64) -> i64 {
    let k = key(v);
    let s = v.session().unwrap();
    let c = s.raw_for_tests();
    let tx = c.unchecked_transaction().unwrap();
    let gone = prune::prune_before(&tx, &k, keep).unwrap();
    append(&tx, &k, Action::LogPrune, Target::none()).unwrap();
    tx.commit().unwrap();
    gone
}

fn start_value(v: &mut Vault) -> String {
    v.session()
        .unwrap()
        .raw_for_tests()
        .query_row("SELECT value FROM meta WHERE key = 'log_start'", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_pruned_log_verifies_from_its_start_and_the_database_refuses_other_deletes() {
    let (_d, mut v) = seeded();
    let before = rows(&mut v);
    assert_eq!(prune_to(&mut v, 4), 3);
    assert_eq!(rows(&mut v), before - 3 + 1);
    assert_eq!(v.verify_access_log().unwrap().rows, before - 3 + 1);
    // Without a permit the database still refuses to delete a row.
    let err = v.session().unwrap().raw_for_tests().execute("DELETE FROM access_log WHERE seq = 4", []).unwrap_err();
    assert!(err.to_string().contains("append-only"));
    // A permit is never left behind.
    let permits: i64 = v
        .session()
        .unwrap()
        .raw_for_tests()
        .query_row("SELECT count(*) FROM log_prune_permit", [], |r| r.get(0))
        .unwrap();
    assert_eq!(permits, 0);
}

#[test]
fn removing_rows_after_the_start_or_moving_the_start_is_detected() {
    let (_d, mut v) = seeded();
    prune_to(&mut v, 3);
    let (_d2, mut w) = seeded();
    prune_to(&mut w, 3);

    // One more row deleted from the front: the first row no longer matches the start.
    tamper(&mut v, "DELETE FROM access_log WHERE seq = 3");
    assert_verify_fails(&mut v, 3, "a row is missing or was inserted");

    // The start moved forward without the key: its tag no longer matches.
    let start = start_value(&mut w);
    let moved = start.replacen("3:", "4:", 1);
    w.session()
        .unwrap()
        .raw_for_tests()
        .execute("UPDATE meta SET value = ?1 WHERE key = 'log_start'", [moved])
        .unwrap();
    assert_verify_fails(&mut w, 0, "the start of the log was altered");

    // The marker removed: the log seems to start at row 1, which is gone.
    w.session().unwrap().raw_for_tests().execute("DELETE FROM meta WHERE key = 'log_start'", []).unwrap();
    assert_verify_fails(&mut w, 1, "a row is missing or was inserted");
}

#[test]
fn pruning_refuses_a_log_that_does_not_verify() {
    let (_d, mut v) = seeded();
    tamper(&mut v, "UPDATE access_log SET action = 'lock' WHERE seq = 5");
    let k = key(&mut v);
    let s = v.session().unwrap();
    let err = prune::prune_before(s.raw_for_tests(), &k, 4).unwrap_err();
    assert!(matches!(err, Error::LogTampered { .. }));
}
