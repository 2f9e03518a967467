//! Prints the document an import of a generated account of a real
//! account's shape makes (`bucketwire_core::samples::account_shape`: one bucket in
//! six wired, functions and roles shared, three regions, a few broken):
//! `cargo run -p bucketwire-core --example generate_account -- N [LIVE.json]`.
//! With a second argument, the account as read (the planner's live state)
//! is written there too.

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(250);
    let (doc, live) = bucketwire_core::samples::account_shape::account_shaped(n);
    if let Some(path) = args.next() {
        let written = serde_json::to_string(&live)
            .map_err(|e| e.to_string())
            .and_then(|json| std::fs::write(&path, json).map_err(|e| e.to_string()));
        if let Err(e) = written {
            eprintln!("cannot write the live state to {path}: {e}");
            std::process::exit(1);
        }
    }
    match serde_json::to_string(&doc) {
        Ok(json) => println!("{json}"),
        Err(e) => {
            eprintln!("cannot serialise the document: {e}");
            std::process::exit(1);
        }
    }
}
