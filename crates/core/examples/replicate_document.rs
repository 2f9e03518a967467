//! Prints a document copied to about N buckets with fresh names in every
//! copy (`bucketwire_core::samples::replicate`): `cargo run -p
//! bucketwire-core --example replicate_document -- DOC.json N`. `bench/cli.sh`
//! grows the imported sandbox account (`bench/fixtures/`) with it.

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(n)) = (
        args.next(),
        args.next().and_then(|a| a.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: replicate_document DOC.json BUCKETS");
        std::process::exit(2);
    };
    let doc = std::fs::read(&path)
        .map_err(|e| format!("cannot read {path}: {e}"))
        .and_then(|bytes| {
            bucketwire_core::read_document(&bytes).map_err(|e| format!("{path}: {e}"))
        })
        .and_then(|doc| bucketwire_core::samples::replicate::replicate(&doc, n))
        .and_then(|big| serde_json::to_string(&big).map_err(|e| e.to_string()));
    match doc {
        Ok(json) => println!("{json}"),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
