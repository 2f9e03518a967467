// The native menu bar's items (src-tauri/menu.json, the one list Rust
// builds the menu from) and the `menu` event a chosen item emits. In a
// browser (the Chromium suite) there is no native menu; the same actions
// are reached from the toolbar, the keyboard and Find.
import { useEffect, useRef } from "react";
import spec from "../../../src-tauri/menu.json";

export type MenuItemSpec = { id: string; label: string; accelerator?: string };
type Entry = MenuItemSpec | { predefined: string } | string;

/** Every action item of the menu bar, by submenu. */
export const MENU: { title: string; items: MenuItemSpec[] }[] = (spec as { title: string; items: Entry[] }[]).map((s) => ({
  title: s.title,
  items: s.items.filter((i): i is MenuItemSpec => typeof i === "object" && "id" in i),
}));

const isMac = typeof navigator !== "undefined" && /Mac/.test(navigator.platform);

/** An accelerator as the platform writes it: "CmdOrCtrl+Shift+S" →
 * "Ctrl+Shift+S" (⌘⇧S on macOS). */
export function shortcutText(accelerator: string | undefined): string {
  if (accelerator === undefined) return "";
  return isMac
    ? accelerator.replace("CmdOrCtrl+", "⌘").replace("Shift+", "⇧").replace("Alt+", "⌥")
    : accelerator.replace("CmdOrCtrl", "Ctrl");
}

/** The shortcut of menu item `id`, as shown. */
export function shortcutOf(id: string): string {
  return shortcutText(MENU.flatMap((s) => s.items).find((i) => i.id === id)?.accelerator);
}

/** The last action run, and whether the menu or a key press ran it. */
export type LastAction = { id: string; at: number; from: "menu" | "key" };

/** Runs `actions[id]` for each menu item chosen. The native menu's keys
 * reach the window too on some platforms; an action a key press ran
 * within the last 300 ms is not run again for the menu's copy of it. */
export function useMenu(actions: Record<string, () => void>, ran: { current: LastAction | null }) {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    const internals = (window as { __TAURI_INTERNALS__?: { metadata?: unknown } }).__TAURI_INTERNALS__;
    if (import.meta.env.MODE === "mock" || internals === undefined) return;
    let stop: (() => void) | null = null;
    let gone = false;
    void import("@tauri-apps/api/event").then(({ listen }) =>
      listen<string>("menu", (e) => {
        const last = ran.current;
        if (last !== null && last.from === "key" && last.id === e.payload && Date.now() - last.at < 300) return;
        ran.current = { id: e.payload, at: Date.now(), from: "menu" };
        latest.current[e.payload]?.();
      }).then((unlisten) => {
        if (gone) unlisten();
        else stop = unlisten;
      }),
    );
    return () => {
      gone = true;
      stop?.();
    };
  }, [ran]);
}
