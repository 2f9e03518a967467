// Bringing cards into view. React Flow's fitView only counts cards it has
// measured, and in a large document the cards that were never on screen
// are never measured (only what is visible is in the DOM): it would fit a
// part of the account, or nothing when the card asked for is far away.
// These fit what was asked, with an estimate of each unmeasured card's size.
import { useCallback } from "react";
import { getViewportForBounds, useReactFlow, useStoreApi, type Node, type Rect, type Viewport } from "@xyflow/react";
import { sizeOf } from "./layout";

/** How React Flow is told the room to leave around what it fits. */
export type Padding = Parameters<typeof getViewportForBounds>[5];

/** Room around what is fitted, on screen: at the top, the "Try a key" bar
 * over the canvas and the region frames' titles above their cards (they
 * keep one size on screen at any zoom); a margin elsewhere. In pixels, not
 * a share of the view, so a large account is drawn as large as it fits. */
export const FIT_MARGIN = { top: 84, side: 28, left: 52 };
export const FIT_PADDING: Padding = {
  top: `${FIT_MARGIN.top}px`,
  right: `${FIT_MARGIN.side}px`,
  bottom: `${FIT_MARGIN.side}px`,
  // The zoom controls sit in the bottom-left corner.
  left: `${FIT_MARGIN.left}px`,
};

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

export type FocusOptions = { maxZoom?: number; padding?: Padding; duration?: number };

type Pane = { width: number; height: number; minZoom: number; maxZoom: number };

/** The viewport that fits `nodes` in a pane of that size, or `null` when
 * there is nothing to fit (or no pane yet). */
export function viewportFor(nodes: Node[], pane: Pane, options: FocusOptions = {}): Viewport | null {
  const bounds = boundsOf(nodes.filter((n) => !n.hidden));
  if (bounds === null || pane.width === 0 || pane.height === 0) return null;
  return getViewportForBounds(
    bounds,
    pane.width,
    pane.height,
    pane.minZoom,
    options.maxZoom ?? pane.maxZoom,
    options.padding ?? FIT_PADDING,
  );
}

/** A function that fits the view to the cards with `ids` (every card when
 * `ids` is `null`); ids that are not drawn are ignored. */
export function useFocus(): (ids: string[] | null, options?: FocusOptions) => void {
  const flow = useReactFlow();
  const store = useStoreApi();
  return useCallback(
    (ids, options = {}) => {
      const nodes = ids === null ? flow.getNodes() : ids.flatMap((id) => flow.getNode(id) ?? []);
      const viewport = viewportFor(nodes, store.getState(), options);
      if (viewport !== null) void flow.setViewport(viewport, { duration: options.duration ?? 300 });
    },
    [flow, store],
  );
}
