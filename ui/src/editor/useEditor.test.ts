import { describe, expect, it } from "vitest";
import { act, renderHook } from "@testing-library/react";
import type { EditorView_Serialize as EditorView } from "../bindings";
import { type Outcome, useEditor } from "./useEditor";

/** A view told apart by its path; the rest does not matter here. */
const viewNamed = (path: string) => ({ path }) as unknown as EditorView;

/** A command whose answer the test releases when it wants. */
function pending<T>() {
  let release!: (value: T) => void;
  const answer = new Promise<T>((resolve) => (release = resolve));
  return { answer, release };
}

describe("useEditor", () => {
  it("keeps the answer to the last edit when an earlier answer would arrive later", async () => {
    const { result } = renderHook(() => useEditor());
    const first = pending<Outcome>();
    const second = pending<Outcome>();
    const started: string[] = [];
    let one!: Promise<boolean>;
    let two!: Promise<boolean>;
    act(() => {
      one = result.current.run(() => (started.push("first"), first.answer));
      two = result.current.run(() => (started.push("second"), second.answer));
    });
    // The second edit waits for the first to answer before it is sent.
    await act(async () => {
      await Promise.resolve();
    });
    expect(started).toEqual(["first"]);
    await act(async () => {
      first.release({ status: "ok", data: viewNamed("after-first") });
      await one;
    });
    expect(started).toEqual(["first", "second"]);
    await act(async () => {
      second.release({ status: "ok", data: viewNamed("after-second") });
      await two;
    });
    expect(result.current.view?.path).toBe("after-second");
  });

  it("goes on with the next edit after one is refused or fails", async () => {
    const { result } = renderHook(() => useEditor());
    await act(async () => {
      const refused = result.current.run(async () => ({
        status: "error",
        error: { kind: "invalid", message: "bucket names are lowercase" },
      }) as unknown as Outcome);
      const broken = result.current.load(() => Promise.reject(new Error("the bridge went away")));
      const fine = result.current.run(async () => ({ status: "ok", data: viewNamed("fine") }));
      expect(await refused).toBe(false);
      await broken;
      expect(await fine).toBe(true);
    });
    expect(result.current.view?.path).toBe("fine");
    expect(result.current.problem).toBeNull();
  });
});
