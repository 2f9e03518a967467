//! The structure ARCHITECTURE.md draws, kept: the core's layers only point
//! down (a module uses its own layer and those below, never a peer's or a
//! higher one's), and neither the core nor the desktop shell has a circle
//! of modules.

use bucketwire_tidy::{find_cycle, layer_violation, read_crate, show, CORE_LAYERS};
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn the_core_uses_only_layers_below() {
    let graph = read_crate(&workspace().join("crates/core/src")).expect("read the core");
    assert!(
        graph.edges.len() > 100,
        "the reader found the core's references"
    );
    let violations: Vec<String> = graph
        .edges
        .iter()
        .filter_map(|e| layer_violation(e, CORE_LAYERS))
        .collect();
    assert!(
        violations.is_empty(),
        "upward references in crates/core/src (move the shared type down, or the code up; ARCHITECTURE.md says where):\n{}",
        violations.join("\n")
    );
}

#[test]
fn every_folder_of_the_core_is_a_layer_architecture_names() {
    let src = workspace().join("crates/core/src");
    let architecture =
        std::fs::read_to_string(workspace().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let graph = read_crate(&src).expect("read the core");
    for module in graph.modules.keys().filter(|m| !m.is_empty()) {
        let layer = &module[0];
        assert!(
            CORE_LAYERS.iter().any(|(name, _)| name == layer),
            "crates/core/src/{layer} is in no layer: add it to CORE_LAYERS and ARCHITECTURE.md"
        );
    }
    for (name, _) in CORE_LAYERS {
        assert!(
            architecture.contains(&format!("`{name}/`")),
            "ARCHITECTURE.md does not describe the layer `{name}/`"
        );
    }
}

#[test]
fn no_module_circles() {
    for krate in [
        "crates/core/src",
        "crates/aws/src",
        "crates/cli/src",
        "src-tauri/src",
    ] {
        let graph = read_crate(&workspace().join(krate)).expect("read the crate");
        if let Some(cycle) = find_cycle(&graph) {
            let names: Vec<String> = cycle.iter().map(|m| show(m)).collect();
            let evidence: Vec<String> = cycle
                .windows(2)
                .filter_map(|w| graph.edges.iter().find(|e| e.from == w[0] && e.to == w[1]))
                .map(ToString::to_string)
                .collect();
            panic!(
                "{krate}: modules in a circle: {}\n{}",
                names.join(" → "),
                evidence.join("\n")
            );
        }
    }
}
