// Light and dark: as the system says, unless the user chose one (View →
// Theme). The choice is remembered; the root element carries it as
// data-theme, which app.css reads.
import { useCallback, useEffect, useState } from "react";
import { preference, remember } from "./preferences";

export type ThemeChoice = "system" | "light" | "dark";

const dark = () => window.matchMedia?.("(prefers-color-scheme: dark)").matches === true;

/** The chosen theme, what it resolves to now, and how to choose another. */
export function useTheme(): { choice: ThemeChoice; resolved: "light" | "dark"; choose: (c: ThemeChoice) => void } {
  const saved = preference("theme");
  const [choice, setChoice] = useState<ThemeChoice>(saved === "light" || saved === "dark" ? saved : "system");
  const [systemDark, setSystemDark] = useState(dark);
  useEffect(() => {
    const query = window.matchMedia?.("(prefers-color-scheme: dark)");
    if (query === undefined) return;
    const changed = () => setSystemDark(query.matches);
    query.addEventListener("change", changed);
    return () => query.removeEventListener("change", changed);
  }, []);
  const resolved = choice === "system" ? (systemDark ? "dark" : "light") : choice;
  useEffect(() => {
    document.documentElement.dataset.theme = resolved;
  }, [resolved]);
  const choose = useCallback((c: ThemeChoice) => {
    setChoice(c);
    remember("theme", c === "system" ? null : c);
  }, []);
  return { choice, resolved, choose };
}
