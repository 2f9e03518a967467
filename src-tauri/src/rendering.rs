//! How the window is drawn on Linux without a GPU.
//!
//! WebKitGTK composites the page through OpenGL. On a machine without a
//! GPU render node (a VM, a remote desktop, a container) that OpenGL is
//! Mesa's software rasteriser, and every frame of a pan over a large
//! account costs 80–100 ms (bench/app-account.sh: in-page pan median 78 ms
//! at 2,500 buckets with compositing, 27 ms without; idle memory 455 MB →
//! 310 MB for the sample). Without a render node the app therefore turns
//! WebKit's compositing off, unless the user has chosen either way through
//! `WEBKIT_DISABLE_COMPOSITING_MODE` themselves.

use std::ffi::OsString;
use std::path::Path;

/// The variable WebKitGTK reads to draw without accelerated compositing.
pub const COMPOSITING_OFF: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Whether to turn compositing off: only when the user has not set
/// [`COMPOSITING_OFF`] and no entry of the DRM directory is a render node
/// (`renderD128`, …).
pub fn turn_compositing_off(
    user_choice: Option<OsString>,
    drm_entries: impl IntoIterator<Item = OsString>,
) -> bool {
    user_choice.is_none()
        && !drm_entries
            .into_iter()
            .any(|name| name.to_string_lossy().starts_with("renderD"))
}

/// Applies [`turn_compositing_off`] to this process's environment, before
/// any window exists (WebKit reads the variable once, when it starts). A
/// no-op outside Linux.
pub fn choose_for_this_machine() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let entries = std::fs::read_dir(Path::new("/dev/dri"))
        .map(|dir| dir.flatten().map(|e| e.file_name()).collect::<Vec<_>>())
        .unwrap_or_default();
    if turn_compositing_off(std::env::var_os(COMPOSITING_OFF), entries) {
        // Called first thing in `run`, before any thread is started.
        std::env::set_var(COMPOSITING_OFF, "1");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn without_a_render_node_compositing_is_turned_off() {
        assert!(turn_compositing_off(None, names(&[])));
        // A display controller alone (card0) renders nothing itself.
        assert!(turn_compositing_off(None, names(&["card0", "by-path"])));
    }

    #[test]
    fn a_render_node_keeps_compositing() {
        assert!(!turn_compositing_off(
            None,
            names(&["card0", "renderD128", "by-path"])
        ));
    }

    #[test]
    fn the_users_own_choice_wins_either_way() {
        assert!(!turn_compositing_off(Some("0".into()), names(&[])));
        assert!(!turn_compositing_off(
            Some("1".into()),
            names(&["renderD128"])
        ));
    }
}
