// Buckets without notifications, as Rust gathers them per region: one
// collapsed entry each ("206 buckets without notifications"), searchable,
// from which a bucket is brought onto the canvas to wire it. They stay in
// the document; only their cards are left out, so an account's wiring is
// what the canvas shows.
import { useState } from "react";
import type { ParkedView } from "../bindings";

/** How many matches a region lists at once (the rest: refine the search). */
const SHOWN = 30;

function Region({ region, onShow }: { region: ParkedView; onShow: (id: string) => void }) {
  const [query, setQuery] = useState("");
  const q = query.trim().toLowerCase();
  const matches = q === "" ? region.buckets : region.buckets.filter((b) => b.label.toLowerCase().includes(q));
  const n = region.buckets.length;
  return (
    <details className="parked-region">
      <summary>
        {region.region}: {n} bucket{n === 1 ? "" : "s"} without notifications
      </summary>
      <input
        type="search"
        aria-label={`Search the buckets of ${region.region} without notifications`}
        placeholder="Search by name"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <ul>
        {matches.slice(0, SHOWN).map((b) => (
          <li key={b.id}>
            <span>{b.label}</span>
            <button type="button" aria-label={`Show ${b.label} on the canvas`} onClick={() => onShow(b.id)}>
              Show
            </button>
          </li>
        ))}
      </ul>
      {matches.length > SHOWN && <p className="parked-more">and {matches.length - SHOWN} more: refine the search</p>}
      {matches.length === 0 && <p className="parked-more">no bucket matches</p>}
    </details>
  );
}

export function Parked({ parked, onShow }: { parked: ParkedView[]; onShow: (id: string) => void }) {
  if (parked.length === 0) return null;
  return (
    <section className="parked" aria-label="Buckets without notifications">
      {parked.map((r) => (
        <Region key={r.region} region={r} onShow={onShow} />
      ))}
    </section>
  );
}
