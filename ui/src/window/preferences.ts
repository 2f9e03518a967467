// The window's remembered choices (panel sizes, collapsed panels, theme,
// the current connection), kept by Rust in the config directory so they
// survive a restart. Read once before the window is drawn, so panels open
// at their remembered sizes; a change is written through at once.
import { commands } from "../bindings";

let values: Record<string, string> = {};

/** Reads every preference; a failure leaves the defaults. */
export async function loadPreferences(): Promise<void> {
  try {
    values = { ...(await commands.preferences()) };
  } catch {
    values = {};
  }
}

/** A remembered value, or null. */
export function preference(name: string): string | null {
  return values[name] ?? null;
}

/** Remembers `value` under `name` (null forgets it). Keeping it is best
 * effort: a failure only means it is forgotten at the next start. */
export function remember(name: string, value: string | null): void {
  if ((values[name] ?? null) === value) return;
  if (value === null) delete values[name];
  else values[name] = value;
  void commands.setPreference(name, value).catch(() => undefined);
}
