// Event types, compact: the chosen ones as chips named as on the cards'
// families (`Created:*`, `Removed:Delete`), each removable, and an "Edit"
// button that opens a searchable popover of every family's checkboxes.
// The catalog (families, wildcards and members) comes from Rust; a checked
// wildcard covers its members, shown checked and disabled. The list sent
// back is exactly what is checked.
import { useState } from "react";
import * as Popover from "@radix-ui/react-popover";
import { Plus, X } from "lucide-react";
import type { EventFamilyView } from "../bindings";

type Props = {
  catalog: EventFamilyView[];
  events: string[];
  onChange: (events: string[]) => void;
};

/** An event type's short name: "s3:ObjectCreated:Put" → "Created:Put",
 * "s3:ObjectRemoved:*" → "Removed:*", "s3:LifecycleTransition" → "LifecycleTransition". */
export function shortEvent(event: string): string {
  return event.replace(/^s3:/, "").replace(/^Object(?=[A-Z])/, "");
}

/** The families and members whose names contain `query` (all for ""). */
function matching(catalog: EventFamilyView[], query: string): EventFamilyView[] {
  const q = query.trim().toLowerCase();
  if (q === "") return catalog;
  return catalog.flatMap((f) => {
    if (f.name.toLowerCase().includes(q) || (f.wildcard ?? "").toLowerCase().includes(q)) return [f];
    const members = f.members.filter((m) => m.toLowerCase().includes(q));
    return members.length === 0 ? [] : [{ ...f, members }];
  });
}

function Families({ catalog, events, onChange }: Props) {
  const toggle = (event: string, on: boolean, family: EventFamilyView) => {
    let next = events.filter((e) => e !== event);
    if (on) {
      // A wildcard replaces its members; listing both is redundant.
      if (event === family.wildcard) next = next.filter((e) => !family.members.includes(e));
      next.push(event);
    }
    onChange(next);
  };
  const full = new Map(catalog.map((f) => [f.name, f]));
  return (
    <>
      {catalog.map((shown) => {
        // Toggling works on the whole family, even when a search shows part of it.
        const family = full.get(shown.name) ?? shown;
        const covered = family.wildcard != null && events.includes(family.wildcard);
        return (
          <div key={family.name} className="event-family" role="group" aria-label={family.name}>
            {family.wildcard != null && (
              <label className="event-wildcard">
                <input
                  type="checkbox"
                  checked={covered}
                  onChange={(e) => toggle(family.wildcard as string, e.target.checked, family)}
                />
                {family.wildcard}
              </label>
            )}
            {shown.members.map((member) => (
              <label key={member} className={family.wildcard == null ? "event-single" : "event-member"}>
                <input
                  type="checkbox"
                  checked={covered || events.includes(member)}
                  disabled={covered}
                  onChange={(e) => toggle(member, e.target.checked, family)}
                />
                {family.wildcard == null ? member : member.slice(member.lastIndexOf(":") + 1)}
              </label>
            ))}
          </div>
        );
      })}
    </>
  );
}

export function EventPicker({ catalog, events, onChange }: Props) {
  const [query, setQuery] = useState("");
  const known = new Set(catalog.flatMap((f) => (f.wildcard == null ? f.members : [f.wildcard, ...f.members])));
  const unknown = events.filter((e) => !known.has(e));
  const shown = matching(catalog, query);
  return (
    <fieldset className="event-picker">
      <legend>Event types</legend>
      <ul className="event-chips" aria-label="Chosen event types">
        {events.length === 0 && <li className="event-none">None yet: S3 needs at least one</li>}
        {events.map((e) => (
          <li key={e} className={`event-chip${known.has(e) ? "" : " event-chip-unknown"}`} title={e}>
            <span>{shortEvent(e)}</span>
            <button type="button" aria-label={`Remove ${e}`} onClick={() => onChange(events.filter((x) => x !== e))}>
              <X size={12} aria-hidden="true" />
            </button>
          </li>
        ))}
      </ul>
      <Popover.Root modal onOpenChange={(open) => !open && setQuery("")}>
        <Popover.Trigger asChild>
          <button type="button" className="icon-button with-text event-edit">
            <Plus size={14} aria-hidden="true" />
            <span>Choose event types</span>
          </button>
        </Popover.Trigger>
        <Popover.Portal>
          <Popover.Content className="popover event-popover" aria-label="Event types" side="left" align="start" sideOffset={8} collisionPadding={8}>
            <input
              type="search"
              aria-label="Search event types"
              placeholder="Search: put, delete, restore…"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
            />
            <div className="event-families">
              <Families catalog={shown} events={events} onChange={onChange} />
              {shown.length === 0 && <p className="event-none">No event type matches “{query}”.</p>}
            </div>
          </Popover.Content>
        </Popover.Portal>
      </Popover.Root>
      {unknown.length > 0 && (
        <p className="event-unknown">
          Not S3 events (see the findings): {unknown.join(", ")}{" "}
          <button type="button" onClick={() => onChange(events.filter((e) => known.has(e)))}>
            Remove
          </button>
        </p>
      )}
    </fieldset>
  );
}
