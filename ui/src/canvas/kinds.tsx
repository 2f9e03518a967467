// Each node kind's icon, name and accent, one place for the cards, the
// palette, the minimap and Find. Icons are Lucide's (ISC licence).
import { Cylinder, Funnel, Inbox, Lambda, Lock, Megaphone, Route, Waypoints } from "lucide-react";
import type { DestinationKind, NodeKind } from "../bindings";

/** Every kind a card can have: the six a user adds, and read-only
 * destinations (a queue, a topic) imported from an account. */
export type CardKind = NodeKind | "foreign";

export const KIND_LABEL: Record<CardKind, string> = {
  bucket: "S3 bucket",
  filter: "Event filter",
  function: "Lambda function",
  rule: "EventBridge rule",
  topic: "SNS topic",
  queue: "SQS queue",
  foreign: "Read-only destination",
};

/** What a read-only destination's card says it is. */
export const DESTINATION_LABEL: Record<DestinationKind, string> = {
  queue: "SQS queue · read-only",
  topic: "SNS topic · read-only",
  eventBridge: "EventBridge · read-only",
};

/** The kind's icon at `size` pixels, decorative (the name says the kind);
 * a read-only destination's says what it is. */
export function KindIcon({ kind, size = 16, destination }: { kind: CardKind; size?: number; destination?: DestinationKind | null }) {
  const props = { size, "aria-hidden": true as const, className: `kind-icon kind-icon-${kind}` };
  if (kind === "foreign" && destination === "queue") return <Inbox {...props} />;
  if (kind === "foreign" && destination === "topic") return <Megaphone {...props} />;
  if (kind === "foreign" && destination === "eventBridge") return <Waypoints {...props} />;
  switch (kind) {
    case "bucket":
      return <Cylinder {...props} />;
    case "filter":
      return <Funnel {...props} />;
    case "function":
      return <Lambda {...props} />;
    case "rule":
      return <Route {...props} />;
    case "topic":
      return <Megaphone {...props} />;
    case "queue":
      return <Inbox {...props} />;
    case "foreign":
      return <Lock {...props} />;
  }
}
