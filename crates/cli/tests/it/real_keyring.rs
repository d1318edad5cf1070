//! "Remember on this computer" against a real Secret Service. Needs a session bus with an
//! unlocked gnome-keyring, so it is ignored in the plain `cargo test` run and run by
//! scripts/test.sh under `dbus-run-session` (see scripts/with-keyring.sh).

use crate::support::{Env, PASS};

#[test]
#[ignore = "needs a Secret Service: scripts/test.sh runs it under dbus-run-session with gnome-keyring"]
fn real_secret_service_remembers_and_forgets() {
    let env = Env::new();
    env.init();
    env.ok(&["client", "add", "--given", "Anna"]);
    let out = env.run(&["remember", "on"], Some(&format!("{PASS}\n")));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // No passphrase given and no terminal: only the keyring can have unlocked it.
    let out = env.run(&["client", "list"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Anna"));

    let out = env.run(&["remember", "off"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = env.run(&["client", "list"], None);
    assert!(!out.status.success(), "after forgetting, the passphrase must be asked");
    assert!(env.run(&["client", "list"], Some(&format!("{PASS}\n"))).status.success());
}
