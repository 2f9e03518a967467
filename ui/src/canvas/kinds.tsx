// Each node kind's icon, name and accent, one place for the cards, the
// palette, the minimap and Find. Icons are Lucide's (ISC licence).
import { Cylinder, Funnel, Lambda, Lock } from "lucide-react";
import type { NodeKind } from "../bindings";

/** Every kind a card can have: the three a user adds, and read-only
 * destinations (a queue, a topic) imported from an account. */
export type CardKind = NodeKind | "foreign";

export const KIND_LABEL: Record<CardKind, string> = {
  bucket: "S3 bucket",
  filter: "Event filter",
  function: "Lambda function",
  foreign: "Read-only destination",
};

/** The kind's icon at `size` pixels, decorative (the name says the kind). */
export function KindIcon({ kind, size = 16 }: { kind: CardKind; size?: number }) {
  const props = { size, "aria-hidden": true as const, className: `kind-icon kind-icon-${kind}` };
  switch (kind) {
    case "bucket":
      return <Cylinder {...props} />;
    case "filter":
      return <Funnel {...props} />;
    case "function":
      return <Lambda {...props} />;
    case "foreign":
      return <Lock {...props} />;
  }
}
