// The arrangement of what an import or a merge drew: a new document is laid
// out whole; a merge lays out only the cards it added, below what was
// already drawn, and leaves the user's arrangement alone.
import type { DocumentView_Serialize as DocumentView } from "../bindings";
import { DEFAULT_ASPECT, GROUP_GAP, layOut, sizeOf, type Move } from "./layout";
import { toFlow } from "./toFlow";
import { FIT_MARGIN } from "./focus";
import { FINDINGS_BAR, LARGE_DOCUMENT, findingsFolded } from "../window/Workspace";

/** The findings panel's height when it opens and none is remembered. */
const FINDINGS_OPEN = 160;

/**
 * The shape (width over height) of what Fit view will fill once a document
 * of `cards` cards is shown, which a layout packs the drawing to: the
 * canvas less Fit view's margins, with the findings panel folded or open
 * as it will be for a document of that size (see `findingsFolded`).
 */
export function viewAspect(cards: number): number {
  const pane = document.querySelector(".react-flow")?.getBoundingClientRect();
  if (pane === undefined || pane.width <= 0 || pane.height <= 0) return DEFAULT_ASPECT;
  const findings = document.querySelector(".panel-findings")?.getBoundingClientRect().height ?? 0;
  const open = findings > FINDINGS_BAR + 1 ? findings : FINDINGS_OPEN;
  const will = findingsFolded(cards > LARGE_DOCUMENT) ? FINDINGS_BAR : open;
  const width = pane.width - FIT_MARGIN.side - FIT_MARGIN.left;
  const height = pane.height + findings - will - FIT_MARGIN.top - FIT_MARGIN.side;
  return width > 0 && height > 0 ? width / height : DEFAULT_ASPECT;
}

/** Moves for `after`; `before` holds the ids drawn before a merge (`null`
 * for a new document). */
export async function arrangement(after: DocumentView, before: Set<string> | null): Promise<Move[]> {
  const { nodes, edges } = toFlow(after);
  const aspect = viewAspect(nodes.length);
  if (before === null) return layOut(nodes, edges, { aspect });
  const added = nodes.filter((n) => !before.has(n.id));
  if (added.length === 0) return [];
  const kept = nodes.filter((n) => before.has(n.id));
  const bottom = Math.max(0, ...kept.map((n) => n.position.y + sizeOf(n).height));
  return layOut(added, edges, { top: kept.length === 0 ? 0 : bottom + GROUP_GAP, aspect });
}
