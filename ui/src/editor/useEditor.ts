// The window's editor state: the last EditorView Rust answered, plus the
// message of the last refused command. Every edit is a command; the view
// that comes back replaces the old one (Rust is the authority).
import { useCallback, useMemo, useState } from "react";
import type { CommandError, EditorView_Serialize as EditorView } from "../bindings";

export type Outcome = { status: "ok"; data: EditorView } | { status: "error"; error: CommandError };

export type Editor = {
  view: EditorView | null;
  problem: string | null;
  dismiss: () => void;
  /** Shows a message in the problem banner. */
  report: (message: string) => void;
  /** Runs a command that answers a view, or a typed error. */
  run: (command: () => Promise<Outcome>) => Promise<boolean>;
  /** Runs a command that always answers a view. */
  load: (command: () => Promise<EditorView>) => Promise<void>;
};

export function useEditor(): Editor {
  const [view, setView] = useState<EditorView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const run = useCallback(async (command: () => Promise<Outcome>) => {
    const outcome = await command();
    if (outcome.status === "ok") {
      setView(outcome.data);
      setProblem(null);
      return true;
    }
    setProblem(outcome.error.message);
    return false;
  }, []);

  const load = useCallback(async (command: () => Promise<EditorView>) => {
    try {
      setView(await command());
      setProblem(null);
    } catch (e) {
      setProblem(String(e));
    }
  }, []);

  return useMemo(
    () => ({ view, problem, dismiss: () => setProblem(null), report: setProblem, run, load }),
    [view, problem, run, load],
  );
}
