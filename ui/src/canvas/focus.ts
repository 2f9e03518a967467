// Bringing cards into view. React Flow's fitView only counts cards it has
// measured, and in a large document the cards that were never on screen
// are never measured (only what is visible is in the DOM): it would fit a
// part of the account, or nothing when the card asked for is far away.
// These fit what was asked, with an estimate of each unmeasured card's size.
import { useCallback } from "react";
import { getViewportForBounds, useReactFlow, useStoreApi, type Node, type Rect } from "@xyflow/react";
import { sizeOf } from "./layout";

/** Room around what is fitted: the frames' titles sit above the cards. */
export const FIT_PADDING = 0.3;

/** The box around `nodes` (flow coordinates), or `null` for none. */
export function boundsOf(nodes: Node[]): Rect | null {
  if (nodes.length === 0) return null;
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const n of nodes) {
    const { width, height } = sizeOf(n);
    left = Math.min(left, n.position.x);
    top = Math.min(top, n.position.y);
    right = Math.max(right, n.position.x + width);
    bottom = Math.max(bottom, n.position.y + height);
  }
  return { x: left, y: top, width: right - left, height: bottom - top };
}

export type FocusOptions = { maxZoom?: number; padding?: number; duration?: number };

/** A function that fits the view to the cards with `ids` (every card when
 * `ids` is `null`); ids that are not drawn are ignored. */
export function useFocus(): (ids: string[] | null, options?: FocusOptions) => void {
  const flow = useReactFlow();
  const store = useStoreApi();
  return useCallback(
    (ids, options = {}) => {
      const nodes = ids === null ? flow.getNodes() : ids.flatMap((id) => flow.getNode(id) ?? []);
      const bounds = boundsOf(nodes.filter((n) => !n.hidden));
      const { width, height, minZoom, maxZoom } = store.getState();
      if (bounds === null || width === 0 || height === 0) return;
      const viewport = getViewportForBounds(
        bounds,
        width,
        height,
        minZoom,
        options.maxZoom ?? maxZoom,
        options.padding ?? FIT_PADDING,
      );
      void flow.setViewport(viewport, { duration: options.duration ?? 300 });
    },
    [flow, store],
  );
}
