//! Validate and plan on generated documents of 100, 1,000 and 10,000
//! buckets with three configurations each (issue target: under 100 ms at
//! 10,000 buckets, growing linearly). Run: `bench/core.sh`.

use bucketwire_core::plan::{apply_to, plan};
use bucketwire_core::{samples, validate, Wiring};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;

// The allocator the `bucketwire` and desktop binaries ship with.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("core");
    group.sample_size(20);
    for n in [100usize, 1_000, 10_000] {
        let (doc, live) = samples::generated(n);
        let wiring = Wiring::from_document(&doc).expect("generated document is valid");
        assert!(
            validate(&wiring).is_empty(),
            "generated document should be clean"
        );
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("validate", n), &wiring, |b, w| {
            b.iter(|| black_box(validate(black_box(w))))
        });
        // First apply: every bucket, permission check and role policy changes.
        group.bench_with_input(
            BenchmarkId::new("plan-fresh", n),
            &(wiring.clone(), live.clone()),
            |b, (w, l)| b.iter(|| black_box(plan(black_box(w), black_box(l)).expect("plan"))),
        );
        // The CI case: the account already matches, so the plan is empty.
        let synced = apply_to(&live, &plan(&wiring, &live).expect("plan"));
        assert!(plan(&wiring, &synced).expect("plan").is_empty());
        group.bench_with_input(
            BenchmarkId::new("plan-in-sync", n),
            &(wiring.clone(), synced),
            |b, (w, l)| b.iter(|| black_box(plan(black_box(w), black_box(l)).expect("plan"))),
        );
        group.bench_with_input(BenchmarkId::new("load", n), &doc, |b, d| {
            let bytes = serde_json::to_vec(d).expect("json");
            b.iter(|| black_box(bucketwire_core::load(black_box(&bytes)).expect("load")))
        });
    }
    group.finish();
}

criterion_group!(core, benches);
criterion_main!(core);
