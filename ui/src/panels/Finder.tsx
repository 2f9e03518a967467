// Ctrl/Cmd+K: find a node by name, or an action by its label. Enter runs
// the first match; arrows move; Escape closes.
import { useEffect, useRef, useState } from "react";

export type FinderItem = { key: string; label: string; hint: string; run: () => void };

export function Finder({ items, onClose }: { items: FinderItem[]; onClose: () => void }) {
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const q = query.trim().toLowerCase();
  const matches = items.filter((i) => q === "" || i.label.toLowerCase().includes(q)).slice(0, 12);
  const choose = (item: FinderItem | undefined) => {
    if (item === undefined) return;
    onClose();
    item.run();
  };
  return (
    <div className="finder-backdrop" onClick={onClose}>
      <div className="finder" role="dialog" aria-label="Find" onClick={(e) => e.stopPropagation()}>
        <input
          ref={input}
          aria-label="Find a node or an action"
          placeholder="Find a node or an action…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === "Escape") onClose();
            if (e.key === "ArrowDown") setActive((a) => Math.min(a + 1, matches.length - 1));
            if (e.key === "ArrowUp") setActive((a) => Math.max(a - 1, 0));
            if (e.key === "Enter") choose(matches[active]);
          }}
        />
        <ul role="listbox" aria-label="Matches">
          {matches.map((m, i) => (
            <li key={m.key} role="option" aria-selected={i === active} onClick={() => choose(m)}>
              <span>{m.label}</span>
              <span className="finder-hint">{m.hint}</span>
            </li>
          ))}
          {matches.length === 0 && <li className="finder-none">Nothing matches “{query}”</li>}
        </ul>
      </div>
    </div>
  );
}
