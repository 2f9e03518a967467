//! Any bytes: the document reader and graph builder must return a value or
//! an error, never panic; what loads must validate, simulate, plan against
//! an empty account and export without panicking either.
#![no_main]

use bucketwire_core::export::{cli, cloudformation, s3, terraform};
use bucketwire_core::live::LiveState;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(wiring) = bucketwire_core::load(data) else {
        return;
    };
    let _ = bucketwire_core::checks::validate(&wiring);
    for bucket in wiring.buckets() {
        let _ = bucketwire_core::simulate(&wiring, &bucket.name, "uploads/a b.jpg", "s3:ObjectCreated:Put");
    }
    let _ = bucketwire_core::plan::plan(&wiring, &LiveState::default());
    let _ = s3::notification_configurations(&wiring, &[]);
    let _ = cli::script(&wiring, &[]);
    let _ = cloudformation::templates(&wiring, &[]);
    let _ = terraform::configuration(&wiring, &[]);
    let _ = wiring.to_document();
});
