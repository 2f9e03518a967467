// Polls a read-only command while `active`, for the progress of long
// commands (import, apply) whose answer only comes at the end.
import { useEffect } from "react";

export const POLL_MS = 150;

export function usePoll<T>(active: boolean, read: () => Promise<T>, show: (value: T) => void) {
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    const tick = async () => {
      while (!stopped) {
        try {
          const value = await read();
          if (!stopped) show(value);
        } catch {
          // A missed reading is harmless: the next one comes.
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    };
    void tick();
    return () => {
      stopped = true;
    };
  }, [active, read, show]);
}
