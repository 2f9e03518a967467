// The outline beside the canvas: every bucket with notifications, by
// account and region, each with its paths (filter → topic or queue →
// functions, or a rule and its targets) and its worst finding; then the
// functions with the buckets that trigger them. What is in it is Rust's
// (the `outline` command); this names the rows from the document's nodes,
// filters them by a search, and draws only the rows in view, so it stays
// quick at 10,000 buckets. A tree for the keyboard: Up and Down move, Home
// and End, Page Up and Down; Left folds a group, Right opens it; Enter
// selects (and the canvas centres it). A row and its card select each
// other.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import type { NodeView_Serialize as NodeView, OutlineView, SeverityView } from "../bindings";
import { KindIcon } from "../canvas/kinds";
import { SEVERITY } from "./Findings";

/** One drawn line of the outline. */
export type OutlineRow = {
  /** Unique among the rows. */
  key: string;
  /** 1 a group's heading, 2 a bucket or a function, 3 a path or a trigger. */
  level: 1 | 2 | 3;
  /** The node a click selects (`null` for a heading). */
  node: string | null;
  /** The heading's group, for folding (headings only). */
  group?: string;
  text: string;
  /** What the row's node is, for its icon. */
  kind?: NodeView["kind"];
  /** Its worst finding. */
  severity?: SeverityView;
};

/** The height of a row (px): the list draws only those in view. */
export const ROW_HEIGHT = 24;
/** Rows drawn beyond each end of the view, so a scroll shows no gap. */
const OVERSCAN = 10;

/**
 * The rows of `outline`, named from `nodes`, leaving out what does not
 * match `query` (a bucket stays when it or one of its paths matches, a
 * function when it or a trigger does) and the insides of `folded` groups.
 */
export function outlineRows(
  outline: OutlineView,
  nodes: Map<string, NodeView>,
  query: string,
  folded: Set<string>,
): OutlineRow[] {
  const q = query.trim().toLowerCase();
  const title = (id: string) => nodes.get(id)?.title ?? id;
  const matches = (...texts: string[]) => q === "" || texts.some((t) => t.toLowerCase().includes(q));
  const rowOf = (id: string, level: 2 | 3, text: string, key: string): OutlineRow => ({
    key,
    level,
    node: id,
    text,
    kind: nodes.get(id)?.kind,
    severity: nodes.get(id)?.badge?.severity,
  });
  const rows: OutlineRow[] = [];
  const accounts = new Set(outline.groups.map((g) => g.account ?? ""));
  for (const g of outline.groups) {
    const group = `${g.account ?? ""}/${g.region}`;
    const inside: OutlineRow[] = [];
    for (const b of g.buckets) {
      const paths = b.paths.map((p) => {
        const through = p.through.map(title).join(" → ");
        const to = p.functions.map(title).join(", ");
        return { node: p.through[0], text: to === "" ? `${through} → nothing yet` : `${through} → ${to}` };
      });
      if (!matches(title(b.id), ...paths.map((p) => p.text))) continue;
      inside.push(rowOf(b.id, 2, title(b.id), `b:${b.id}`));
      paths.forEach((p, i) => inside.push(rowOf(p.node, 3, p.text, `p:${b.id}:${i}`)));
    }
    if (inside.length === 0) continue;
    const heading = accounts.size > 1 && g.account !== null ? `${g.region} · account ${g.account}` : g.region;
    const buckets = inside.filter((r) => r.level === 2).length;
    rows.push({ key: `g:${group}`, level: 1, node: null, group, text: `${heading} · ${buckets} bucket${buckets === 1 ? "" : "s"}` });
    if (!folded.has(group)) rows.push(...inside);
  }
  const functions: OutlineRow[] = [];
  for (const f of outline.functions) {
    const triggers = f.triggeredBy.map(title);
    if (!matches(title(f.id), ...triggers)) continue;
    const n = triggers.length;
    functions.push(rowOf(f.id, 2, `${title(f.id)} · ${n === 0 ? "not triggered" : `${n} bucket${n === 1 ? "" : "s"}`}`, `f:${f.id}`));
    f.triggeredBy.forEach((b, i) => functions.push(rowOf(b, 3, `← ${title(b)}`, `t:${f.id}:${i}`)));
  }
  if (functions.length > 0) {
    const n = functions.filter((r) => r.level === 2).length;
    rows.push({ key: "g:functions", level: 1, node: null, group: "functions", text: `Functions · ${n}` });
    if (!folded.has("functions")) rows.push(...functions);
  }
  return rows;
}

type Props = {
  outline: OutlineView | null;
  nodes: Map<string, NodeView>;
  selected: string[];
  /** A row chosen: select its node and centre it on the canvas. */
  onSelect: (id: string) => void;
};

export function Outline({ outline, nodes, selected, onSelect }: Props) {
  const [query, setQuery] = useState("");
  const [folded, setFolded] = useState<Set<string>>(new Set());
  const rows = useMemo(
    () => (outline === null ? [] : outlineRows(outline, nodes, query, folded)),
    [outline, nodes, query, folded],
  );
  const [active, setActive] = useState(0);
  const list = useRef<HTMLDivElement | null>(null);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(240);
  useEffect(() => {
    const el = list.current;
    if (el === null) return;
    const seen = new ResizeObserver(() => setHeight(el.clientHeight));
    seen.observe(el);
    return () => seen.disconnect();
  }, []);

  // A card selected on the canvas: its row becomes the active one, in view.
  const chosen = selected.length === 1 ? selected[0] : null;
  useEffect(() => {
    if (chosen === null) return;
    const at = rows.findIndex((r) => r.node === chosen && r.level === 2);
    const index = at >= 0 ? at : rows.findIndex((r) => r.node === chosen);
    if (index >= 0) {
      setActive(index);
      reveal(index);
    }
    // Only when the selection changes, not on every re-render of the rows.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [chosen]);

  const reveal = (index: number) => {
    const el = list.current;
    if (el === null) return;
    const y = index * ROW_HEIGHT;
    if (y < el.scrollTop) el.scrollTop = y;
    else if (y + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = y + ROW_HEIGHT - el.clientHeight;
    setTop(el.scrollTop);
  };
  const move = (index: number) => {
    const i = Math.max(0, Math.min(rows.length - 1, index));
    setActive(i);
    reveal(i);
  };
  const fold = (group: string, shut: boolean) =>
    setFolded((f) => {
      const next = new Set(f);
      if (shut) next.add(group);
      else next.delete(group);
      return next;
    });
  const choose = (row: OutlineRow | undefined) => {
    if (row === undefined) return;
    if (row.node !== null) onSelect(row.node);
    else if (row.group !== undefined) fold(row.group, !folded.has(row.group));
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    const row = rows[active];
    const handled: Record<string, () => void> = {
      ArrowDown: () => move(active + 1),
      ArrowUp: () => move(active - 1),
      Home: () => move(0),
      End: () => move(rows.length - 1),
      PageDown: () => move(active + page),
      PageUp: () => move(active - page),
      Enter: () => choose(row),
      " ": () => choose(row),
      ArrowLeft: () => {
        if (row?.group !== undefined) fold(row.group, true);
        else {
          // To the row's heading.
          for (let i = active; i >= 0; i--) if (rows[i].level === 1) return move(i);
        }
      },
      ArrowRight: () => {
        if (row?.group !== undefined) fold(row.group, false);
      },
    };
    const act = handled[e.key];
    if (act === undefined) return;
    e.preventDefault();
    act();
  };

  // The rows in view, and a few either side (at least a screenful when the
  // list has not been measured yet).
  const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((top + Math.max(height, 30 * ROW_HEIGHT)) / ROW_HEIGHT) + OVERSCAN);
  const current = Math.min(active, rows.length - 1);
  const on = new Set(selected);
  return (
    <section className="outline" aria-label="Outline">
      <h2 className="sidebar-title">Outline</h2>
      <input
        type="search"
        className="outline-search"
        aria-label="Search the outline"
        placeholder="Search buckets, paths, functions"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
      />
      {outline !== null && rows.length === 0 && (
        <p className="outline-empty">{query === "" ? "Nothing is wired yet." : "Nothing matches."}</p>
      )}
      <div
        ref={list}
        className="outline-list"
        role="tree"
        aria-label="Buckets and functions"
        tabIndex={0}
        aria-activedescendant={rows.length > 0 ? `outline-row-${current}` : undefined}
        onKeyDown={onKeyDown}
        onScroll={(e) => setTop(e.currentTarget.scrollTop)}
      >
        <div style={{ height: rows.length * ROW_HEIGHT, position: "relative" }}>
          {rows.slice(first, last).map((row, k) => {
            const index = first + k;
            return (
              <div
                key={row.key}
                id={`outline-row-${index}`}
                role="treeitem"
                aria-label={row.severity === undefined ? row.text : `${row.text}, worst finding: ${SEVERITY[row.severity].word}`}
                aria-level={row.level}
                aria-selected={row.node !== null && on.has(row.node)}
                data-node={row.node ?? undefined}
                aria-expanded={row.group !== undefined ? !folded.has(row.group) : undefined}
                className={`outline-row outline-level-${row.level}${index === current ? " active" : ""}`}
                style={{ top: index * ROW_HEIGHT, height: ROW_HEIGHT }}
                title={row.text}
                onClick={() => {
                  setActive(index);
                  choose(row);
                }}
              >
                {row.group !== undefined && <span aria-hidden="true">{folded.has(row.group) ? "▸" : "▾"}</span>}
                {row.kind !== undefined && <KindIcon kind={row.kind} size={13} />}
                <span className="outline-text">{row.text}</span>
                {row.severity !== undefined && (
                  <span className={`outline-badge badge-${row.severity}`} aria-hidden="true">
                    {SEVERITY[row.severity].icon}
                  </span>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
