// Event types as grouped checkboxes. The catalog (families, wildcards and
// members) comes from Rust; a checked wildcard covers its members, shown
// checked and disabled. The list sent back is exactly what is checked.
import type { EventFamilyView } from "../bindings";

type Props = {
  catalog: EventFamilyView[];
  events: string[];
  onChange: (events: string[]) => void;
};

export function EventPicker({ catalog, events, onChange }: Props) {
  const toggle = (event: string, on: boolean, family: EventFamilyView) => {
    let next = events.filter((e) => e !== event);
    if (on) {
      // A wildcard replaces its members; listing both is redundant.
      if (event === family.wildcard) next = next.filter((e) => !family.members.includes(e));
      next.push(event);
    }
    onChange(next);
  };
  const known = new Set(catalog.flatMap((f) => (f.wildcard == null ? f.members : [f.wildcard, ...f.members])));
  const unknown = events.filter((e) => !known.has(e));
  return (
    <fieldset className="event-picker">
      <legend>Event types</legend>
      {catalog.map((family) => {
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
            {family.members.map((member) => (
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
