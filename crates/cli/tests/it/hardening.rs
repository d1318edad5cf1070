//! The process itself: the cost of the passphrase slot the product path writes.

use crate::support::Env;

#[test]
fn init_writes_a_256_mib_passphrase_slot() {
    let env = Env::new();
    env.init();
    let keys: serde_json::Value = serde_json::from_slice(&std::fs::read(env.vault.join("keys.json")).unwrap()).unwrap();
    let slot = keys["slots"].as_array().unwrap().iter().find(|s| s["kind"] == "passphrase").unwrap();
    assert_eq!(slot["kdf"]["alg"], "argon2id");
    assert_eq!(slot["kdf"]["m_cost_kib"], 256 * 1024, "{slot}");
    assert_eq!(slot["kdf"]["p_cost"], 1);
    let passes = slot["kdf"]["t_cost"].as_u64().unwrap();
    assert!((1..=8).contains(&passes), "{slot}");
}
