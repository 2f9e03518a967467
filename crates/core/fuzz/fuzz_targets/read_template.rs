//! Any bytes as a template: read (YAML or JSON, SAM expanded) and linted,
//! or refused with a message; never a panic, a hang or unbounded memory.
//! `cd crates/core && RUSTC_BOOTSTRAP=1 cargo fuzz run read_template`
#![no_main]

use bucketwire_core::sources::{self, cloudformation::intrinsics::Target};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(reading) = sources::read("fuzz.yaml", text, &Target::default()) {
        let _ = sources::lint(&reading);
    }
});
