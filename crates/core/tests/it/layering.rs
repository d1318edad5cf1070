//! The core's modules import each other without cycles: every `crate::…`, `super::…` and
//! `self::…` path in a module's non-test code is an edge, and the graph must be acyclic (a
//! child naming its own ancestor, e.g. `super::Phase` in `backup::write`, is not an edge).
//! Names re-exported at the crate root (`crate::Vault`) count as their defining module.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn modules() -> BTreeMap<String, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p.strip_prefix(&root).unwrap().with_extension("");
                let name = rel.to_string_lossy().replace('/', "::").trim_end_matches("::mod").to_owned();
                let name = if name == "lib" { "crate".to_owned() } else { name };
                out.insert(name, std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    out
}

/// The crate root's `pub use x::{A, B}` lines: which module defines each root name.
fn root_names(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in lib.lines().filter_map(|l| l.trim().strip_prefix("pub use ")) {
        let line = line.trim_end_matches(';');
        let (module, names) = match line.split_once("::{") {
            Some((m, n)) => (m.to_owned(), n.trim_end_matches('}').split(',').map(|s| s.trim().to_owned()).collect()),
            None => {
                let (m, n) = line.rsplit_once("::").unwrap();
                (m.to_owned(), vec![n.to_owned()])
            }
        };
        for n in names.into_iter().filter(|n| !n.is_empty()) {
            out.insert(n, module.clone());
        }
    }
    out
}

fn code_only(src: &str) -> String {
    let src = src.split("#[cfg(test)]\nmod tests").next().unwrap_or(src);
    src.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// Every path starting with `crate::`, `super::` or `self::`, with `{a, b}` groups expanded.
fn paths(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b = src.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !src.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let rest = &src[i..];
        let starts = ["crate::", "super::", "self::"].iter().any(|p| rest.starts_with(p));
        let boundary = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] == b':');
        if starts && boundary {
            let mut j = i;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b':') {
                j += 1;
            }
            let head = src[i..j].trim_end_matches(':').to_owned();
            if src[j..].starts_with('{') && src[i..j].ends_with("::") {
                let end = src[j..].find('}').map_or(b.len(), |e| j + e);
                for item in src[j + 1..end].split(',') {
                    let item = item.split_whitespace().next().unwrap_or("");
                    if !item.is_empty() {
                        out.push(format!("{head}::{item}"));
                    }
                }
                i = end;
            } else {
                out.push(head);
                i = j;
            }
        } else {
            i += 1;
        }
    }
    out
}

fn resolve(path: &str, from: &str, known: &BTreeSet<String>, roots: &BTreeMap<String, String>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    let mut abs: Vec<String> = match parts[0] {
        "crate" => {
            if let Some(m) = parts.get(1).and_then(|n| roots.get(*n)) {
                return Some(m.clone());
            }
            Vec::new()
        }
        "super" => {
            let mut base: Vec<String> = from.split("::").map(str::to_owned).collect();
            let ups = parts.iter().take_while(|p| **p == "super").count();
            base.truncate(base.len().saturating_sub(ups));
            base
        }
        _ => from.split("::").map(str::to_owned).collect(),
    };
    abs.extend(parts.iter().skip_while(|p| ["crate", "super", "self"].contains(p)).map(|p| (*p).to_owned()));
    (1..=abs.len()).rev().map(|n| abs[..n].join("::")).find(|c| known.contains(c))
}

#[test]
fn the_core_has_no_import_cycle() {
    let mods = modules();
    let known: BTreeSet<String> = mods.keys().cloned().collect();
    let roots = root_names(&mods["crate"]);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    // Test-only modules (`testing`, `…::tests`) may use anything.
    let test_only = |m: &str| m == "testing" || m.ends_with("::tests");
    for (m, src) in mods.iter().filter(|(m, _)| *m != "crate" && !test_only(m)) {
        for p in paths(&code_only(src)) {
            if let Some(t) = resolve(&p, m, &known, &roots) {
                if &t != m && !m.starts_with(&format!("{t}::")) {
                    edges.entry(m.clone()).or_default().insert(t);
                }
            }
        }
    }
    assert!(edges.get("domain::clients").is_some_and(|e| e.contains("search")), "the scan found no edges: {edges:?}");
    if let Some(cycle) = find_cycle(&edges) {
        panic!("import cycle in the core: {}", cycle.join(" -> "));
    }
}

/// A cycle in `edges`, if there is one (depth-first search for a back edge).
fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_owned(), 1);
        path.push(n.to_owned());
        for t in edges.get(n).into_iter().flatten() {
            match state.get(t.as_str()).copied().unwrap_or(0) {
                1 => {
                    let start = path.iter().position(|p| p == t).unwrap_or(0);
                    let mut cycle = path[start..].to_vec();
                    cycle.push(t.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(t, edges, state, path) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        path.pop();
        state.insert(n.to_owned(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for m in edges.keys() {
        if state.get(m.as_str()).copied().unwrap_or(0) == 0 {
            if let Some(c) = visit(m, edges, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn the_cycle_check_sees_a_cycle() {
    // The scanner must be able to fail: `a` and `b` naming each other is reported.
    let known: BTreeSet<String> = ["a", "b"].iter().map(|s| (*s).to_owned()).collect();
    let roots = BTreeMap::new();
    let a = paths("use crate::b::{Thing, other};\nfn f() { crate::b::g(); }");
    let b = paths("use super::a::Foo;");
    assert_eq!(resolve(&a[0], "a", &known, &roots).as_deref(), Some("b"));
    assert_eq!(resolve(&b[0], "b", &known, &roots).as_deref(), Some("a"));
    assert_eq!(a.len(), 3);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    edges.entry("a".into()).or_default().insert("b".into());
    edges.entry("b".into()).or_default().insert("c".into());
    assert_eq!(find_cycle(&edges), None);
    edges.entry("c".into()).or_default().insert("a".into());
    assert_eq!(find_cycle(&edges), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
}
