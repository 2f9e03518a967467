//! The OS keyring for real: a connection's secret stored, read back and
//! deleted through the Secret Service (gnome-keyring). Needs a session bus
//! with an unlocked keyring, so it is ignored by plain `cargo test` and run
//! by `make keyring-test` (scripts/with-secret-service.sh), part of `make test`.

use bucketwire_aws::{Secret, SecretStore};

#[test]
#[ignore = "needs a Secret Service: run `make keyring-test`"]
fn a_secret_round_trips_through_the_secret_service() {
    let store = SecretStore::os();
    let name = format!("bucketwire-test-{}", std::process::id());
    store.delete(&name).expect("clean start");
    assert!(store.load(&name).expect("load").is_none());
    store
        .store(
            &name,
            &Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        )
        .expect("store");
    // A second store object sees it: it lives in the keyring, not in memory.
    let again = SecretStore::os();
    assert_eq!(
        again
            .load(&name)
            .expect("load")
            .map(|s| s.expose().to_string())
            .as_deref(),
        Some("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    );
    store.delete(&name).expect("delete");
    assert!(again.load(&name).expect("load").is_none());
}
