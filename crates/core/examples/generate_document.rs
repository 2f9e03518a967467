//! Prints a generated document of N buckets with three configurations each
//! (7 nodes per bucket), laid out in rows, for benchmarks:
//! `cargo run -p bucketwire-core --example generate_document -- N`.

use bucketwire_core::model::document::Position;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100);
    let (mut doc, _) = bucketwire_core::samples::generated(n);
    // A row per bucket: bucket, its three filters, their functions.
    for (i, bucket) in doc.buckets.iter().enumerate() {
        let y = i as f64 * 420.0;
        doc.layout.insert(
            bucket.id.clone(),
            Position {
                x: 0.0,
                y: y + 140.0,
            },
        );
    }
    for (j, filter) in doc.filters.iter().enumerate() {
        let y = (j / 3) as f64 * 420.0 + (j % 3) as f64 * 140.0;
        doc.layout
            .insert(filter.id.clone(), Position { x: 320.0, y });
    }
    for (j, function) in doc.functions.iter().enumerate() {
        let y = (j / 3) as f64 * 420.0 + (j % 3) as f64 * 140.0;
        doc.layout
            .insert(function.id.clone(), Position { x: 640.0, y });
    }
    match serde_json::to_string(&doc) {
        Ok(json) => println!("{json}"),
        Err(e) => {
            eprintln!("cannot serialise the document: {e}");
            std::process::exit(1);
        }
    }
}
