// The arrangement of what an import or a merge drew: a new document is laid
// out whole; a merge lays out only the cards it added, below what was
// already drawn, and leaves the user's arrangement alone.
import type { DocumentView_Serialize as DocumentView } from "../bindings";
import { GROUP_GAP, layOut, sizeOf, type Move } from "./layout";
import { toFlow } from "./toFlow";

/** Moves for `after`; `before` holds the ids drawn before a merge (`null`
 * for a new document). */
export async function arrangement(after: DocumentView, before: Set<string> | null): Promise<Move[]> {
  const { nodes, edges } = toFlow(after);
  if (before === null) return layOut(nodes, edges);
  const added = nodes.filter((n) => !before.has(n.id));
  if (added.length === 0) return [];
  const kept = nodes.filter((n) => before.has(n.id));
  const bottom = Math.max(0, ...kept.map((n) => n.position.y + sizeOf(n).height));
  return layOut(added, edges, kept.length === 0 ? 0 : bottom + GROUP_GAP);
}
