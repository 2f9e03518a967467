// The window's editor state: the last EditorView Rust answered, plus the
// message of the last refused command. Every edit is a command; the view
// that comes back replaces the old one (Rust is the authority).
//
// Commands run one at a time, in the order they were asked for: two quick
// presses of a palette button are two requests, and their answers can come
// back in either order, so the older view could land last and hide the
// newer node. Queueing them keeps the view the answer to the last edit.
import { useCallback, useMemo, useRef, useState } from "react";
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
  // The tail of the command queue: each command starts when the one before
  // it has answered (whether it succeeded or not).
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const inTurn = useCallback(<T,>(task: () => Promise<T>): Promise<T> => {
    const next = queue.current.then(task, task);
    queue.current = next.catch(() => undefined);
    return next;
  }, []);

  const run = useCallback(
    (command: () => Promise<Outcome>) =>
      inTurn(async () => {
        const outcome = await command();
        if (outcome.status === "ok") {
          setView(outcome.data);
          setProblem(null);
          return true;
        }
        setProblem(outcome.error.message);
        return false;
      }),
    [inTurn],
  );

  const load = useCallback(
    (command: () => Promise<EditorView>) =>
      inTurn(async () => {
        try {
          setView(await command());
          setProblem(null);
        } catch (e) {
          setProblem(String(e));
        }
      }),
    [inTurn],
  );

  return useMemo(
    () => ({ view, problem, dismiss: () => setProblem(null), report: setProblem, run, load }),
    [view, problem, run, load],
  );
}
