//! The native menu bar. Its items are listed once, in `menu.json` (the UI
//! reads the same file for its shortcut list and checks it handles every
//! item); choosing one emits the `menu` event with the item's id, and the
//! window runs the action it names. Edit items carry no accelerator: their
//! keys (Ctrl+Z, Ctrl+C…) belong to a text field when one is focused, and
//! the window decides that, not the menu.

use serde::Deserialize;
use tauri::menu::{Menu, MenuBuilder, MenuItemBuilder, PredefinedMenuItem, SubmenuBuilder};
use tauri::{AppHandle, Emitter, Runtime};

/// The event a chosen menu item emits; its payload is the item's id.
pub const MENU_EVENT: &str = "menu";

/// The menu bar as `menu.json` lists it.
const SPEC: &str = include_str!("../menu.json");

/// One submenu of the bar.
#[derive(Debug, Deserialize)]
pub struct Submenu {
    /// Its title in the bar.
    pub title: String,
    /// Its items, top to bottom.
    pub items: Vec<Item>,
}

/// One entry of a submenu.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Item {
    /// `"-"`: a separator.
    Separator(String),
    /// An action of the window.
    Action {
        /// What the `menu` event carries.
        id: String,
        /// Its text.
        label: String,
        /// Its key, in Tauri's notation (`CmdOrCtrl+S`).
        #[serde(default)]
        accelerator: Option<String>,
    },
    /// An item the platform provides (`quit`).
    Predefined {
        /// Which one.
        predefined: String,
    },
}

/// The menu bar's submenus.
///
/// # Panics
/// Never at run time for the shipped file: the tests parse it.
pub fn spec() -> Vec<Submenu> {
    serde_json::from_str(SPEC).expect("menu.json is a list of submenus")
}

/// Builds the native menu bar (on macOS behind the app menu).
///
/// # Errors
/// What the platform's menu API reports.
pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let mut bar = MenuBuilder::new(app);
    #[cfg(target_os = "macos")]
    {
        let about = SubmenuBuilder::new(app, "Bucketwire")
            .item(&PredefinedMenuItem::about(app, None, None)?)
            .separator()
            .item(&PredefinedMenuItem::services(app, None)?)
            .separator()
            .item(&PredefinedMenuItem::hide(app, None)?)
            .item(&PredefinedMenuItem::hide_others(app, None)?)
            .separator()
            .item(&PredefinedMenuItem::quit(app, None)?)
            .build()?;
        bar = bar.item(&about);
    }
    for submenu in spec() {
        let mut sub = SubmenuBuilder::new(app, &submenu.title);
        for item in submenu.items {
            sub = match item {
                Item::Separator(_) => sub.separator(),
                Item::Action {
                    id,
                    label,
                    accelerator,
                } => {
                    let mut entry = MenuItemBuilder::with_id(id, label);
                    if let Some(keys) = accelerator {
                        entry = entry.accelerator(keys);
                    }
                    sub.item(&entry.build(app)?)
                }
                // The macOS app menu already has Quit.
                Item::Predefined { predefined } if predefined == "quit" => {
                    if cfg!(target_os = "macos") {
                        sub
                    } else {
                        sub.item(&PredefinedMenuItem::quit(app, None)?)
                    }
                }
                Item::Predefined { .. } => sub,
            };
        }
        bar = bar.item(&sub.build()?);
    }
    bar.build()
}

/// Tells the window which item was chosen.
pub fn chosen<R: Runtime>(app: &AppHandle<R>, id: &str) {
    let _ = app.emit(MENU_EVENT, id);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn actions() -> Vec<(String, Option<String>)> {
        spec()
            .into_iter()
            .flat_map(|s| s.items)
            .filter_map(|i| match i {
                Item::Action {
                    id, accelerator, ..
                } => Some((id, accelerator)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_menu_names_each_action_once_and_each_key_once() {
        let actions = actions();
        assert!(actions.len() > 20, "{actions:?}");
        let ids: HashSet<_> = actions.iter().map(|(id, _)| id).collect();
        assert_eq!(ids.len(), actions.len(), "an id is listed twice");
        let keys: Vec<_> = actions.iter().filter_map(|(_, k)| k.as_ref()).collect();
        assert_eq!(
            keys.iter().collect::<HashSet<_>>().len(),
            keys.len(),
            "a key is bound twice"
        );
    }

    #[test]
    fn every_entry_is_an_action_a_separator_or_quit() {
        for submenu in spec() {
            for item in submenu.items {
                match item {
                    Item::Separator(s) => assert_eq!(s, "-", "in {}", submenu.title),
                    Item::Predefined { predefined } => assert_eq!(predefined, "quit"),
                    Item::Action { id, label, .. } => {
                        assert!(!id.is_empty() && !label.is_empty(), "in {}", submenu.title);
                    }
                }
            }
        }
    }

    #[test]
    fn edit_keys_stay_with_text_fields() {
        // Ctrl+Z, Ctrl+C, Ctrl+V in a text field edit the text, so the
        // menu never binds them.
        for (id, key) in actions() {
            if ["undo", "redo", "copy", "paste", "duplicate"].contains(&id.as_str()) {
                assert_eq!(key, None, "{id}");
            }
        }
    }
}
