#![no_main]
//! See `confidant_core::fuzzing::run` for what this target feeds and which properties it asserts.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    confidant_core::fuzzing::run("ipc_args", data);
});
