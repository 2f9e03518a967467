//! Prints the time and the resident memory after each phase of what
//! `bucketwire validate` does with a document: file read, document parsed,
//! text freed, graph built, validated (with the CLI's allocator). Where the
//! peak of bench/cli.sh comes from. `memory_phases FILE` (bench/memory.sh).

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Resident and peak resident memory, from /proc/self/status (Linux).
fn rss() -> (usize, usize) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<usize>().ok())
            .map_or(0, |kb| kb * 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

thread_local! {
    static START: std::time::Instant = std::time::Instant::now();
}

fn mb(n: usize) -> String {
    format!("{:.1} MB", n as f64 / 1e6)
}

fn report(phase: &str) {
    println!(
        "{phase:<24} {:>7.0} ms  rss {:>10}  peak {:>10}",
        START.with(|t| t.elapsed().as_secs_f64() * 1e3),
        mb(rss().0),
        mb(rss().1)
    );
}

fn main() {
    let file = std::env::args().nth(1).expect("usage: memory_phases FILE");
    START.with(|_| ());
    let bytes = std::fs::read(&file).expect("read");
    report("file read");
    let doc = bucketwire_core::read_document(&bytes).expect("document");
    report("document parsed");
    drop(bytes);
    report("text freed");
    let wiring = bucketwire_core::Wiring::from_owned_document(doc).expect("wiring");
    report("graph built");
    let findings = bucketwire_core::checks::validate(&wiring);
    report("validated");
    println!("{} findings", findings.len());
    drop(findings);
    report("findings dropped");
}
