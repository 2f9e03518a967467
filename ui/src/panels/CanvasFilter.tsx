// The canvas filter, a button that opens its fields (by name, by region,
// by findings) and says how many are on. What does not match
// is drawn faint, so where the matches sit in the account stays visible.
// Presentation only: which node has which region and findings is Rust's
// answer (the view); this only compares it with what the user typed.
import * as Popover from "@radix-ui/react-popover";
import { ListFilter } from "lucide-react";
import type { NodeView_Serialize as NodeView, SeverityView } from "../bindings";

export type CanvasFilterState = { name: string; region: string; findings: "" | SeverityView };

export const NO_FILTER: CanvasFilterState = { name: "", region: "", findings: "" };

const RANK: Record<SeverityView, number> = { info: 0, warning: 1, error: 2 };

/** The ids of the nodes the filter leaves out (none when it is empty). */
export function dimmedBy(filter: CanvasFilterState, nodes: NodeView[]): string[] {
  const name = filter.name.trim().toLowerCase();
  if (name === "" && filter.region === "" && filter.findings === "") return [];
  const want = filter.findings;
  return nodes
    .filter(
      (n) =>
        (name !== "" && !n.title.toLowerCase().includes(name)) ||
        (filter.region !== "" && n.region !== filter.region) ||
        (want !== "" && (n.badge === null || RANK[n.badge.severity] < RANK[want])),
    )
    .map((n) => n.id);
}

export function CanvasFilter({
  filter,
  regions,
  onChange,
}: {
  filter: CanvasFilterState;
  regions: string[];
  onChange: (f: CanvasFilterState) => void;
}) {
  const active = [filter.name.trim() !== "", filter.region !== "", filter.findings !== ""].filter(Boolean).length;
  return (
    <Popover.Root modal>
      <Popover.Trigger asChild>
        <button
          type="button"
          className={`icon-button with-text canvas-filter-button${active > 0 ? " active" : ""}`}
          aria-label={active > 0 ? `Filter the canvas (${active} on)` : "Filter the canvas"}
          title="Filter the canvas: by name, region, findings"
        >
          <ListFilter size={16} aria-hidden="true" />
          <span>Filter{active > 0 ? ` · ${active}` : ""}</span>
        </button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content className="popover" align="end" sideOffset={6} collisionPadding={8}>
    <section className="canvas-filter" aria-label="Filter the canvas">
      <input
        type="search"
        aria-label="Filter by name"
        placeholder="Filter by name"
        value={filter.name}
        onChange={(e) => onChange({ ...filter, name: e.target.value })}
      />
      <select aria-label="Filter by region" value={filter.region} onChange={(e) => onChange({ ...filter, region: e.target.value })}>
        <option value="">All regions</option>
        {regions.map((r) => (
          <option key={r}>{r}</option>
        ))}
      </select>
      <select
        aria-label="Filter by findings"
        value={filter.findings}
        onChange={(e) => onChange({ ...filter, findings: e.target.value as CanvasFilterState["findings"] })}
      >
        <option value="">Any findings</option>
        <option value="error">With errors</option>
        <option value="warning">With warnings or errors</option>
        <option value="info">With any finding</option>
      </select>
    </section>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
