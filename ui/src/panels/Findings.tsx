// The findings panel: a bar that is always shown (counts per severity,
// each a toggle that filters the list, and the button that folds the list
// away), and the list, worst first, with each finding's severity as icon
// and word (never colour alone), its rule and a Fix button when the fix is
// a document edit. Repeated findings (one rule, one severity: a shared
// function missing its permission for 160 buckets) are one row that opens
// to its members.
import { useMemo, useState } from "react";
import { ChevronDown, ChevronRight, ChevronsDown, ChevronsUp, CircleX, Info, TriangleAlert } from "lucide-react";
import type { FindingView_Serialize as FindingView, SeverityView } from "../bindings";

export const SEVERITY: Record<SeverityView, { icon: string; word: string }> = {
  error: { icon: "⛔", word: "Error" },
  warning: { icon: "⚠", word: "Warning" },
  info: { icon: "ⓘ", word: "Info" },
};

const SEVERITY_ICON: Record<SeverityView, typeof CircleX> = { error: CircleX, warning: TriangleAlert, info: Info };

type Props = {
  findings: FindingView[];
  onSelect: (finding: FindingView) => void;
  onFix: (index: number) => void;
  /** Whether the list is shown (the bar always is). */
  open: boolean;
  onToggle: () => void;
  /** The document has no cards yet: say what to do, not "all is well". */
  empty?: boolean;
};

/** Findings listed at first (and per "Show more"): an account with
 * thousands of findings would otherwise put tens of thousands of elements
 * in the window, and every view would lay them all out again. */
export const FINDINGS_PAGE = 200;

/** A finding and its place in Rust's list (what a fix is asked for by). */
type Indexed = { finding: FindingView; index: number };

/** Findings of one rule and severity, in Rust's order. */
export type FindingGroup = { key: string; rule: string; severity: SeverityView; members: Indexed[] };

/** Groups findings by rule and severity, keeping Rust's order (worst
 * first; a group where its first member was). */
export function groupFindings(findings: FindingView[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  findings.forEach((finding, index) => {
    const key = `${finding.severity} ${finding.rule}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { key, rule: finding.rule, severity: finding.severity, members: [] };
      groups.set(key, group);
    }
    group.members.push({ finding, index });
  });
  return [...groups.values()];
}

function Row({ item, onSelect, onFix }: { item: Indexed; onSelect: Props["onSelect"]; onFix: Props["onFix"] }) {
  const f = item.finding;
  const Icon = SEVERITY_ICON[f.severity];
  return (
    <li className={`finding finding-${f.severity}`}>
      <button type="button" className="finding-main" onClick={() => onSelect(f)}>
        <span className="finding-severity">
          <Icon size={15} aria-hidden="true" /> {SEVERITY[f.severity].word}
        </span>
        <span className="finding-rule">{f.rule}</span>
        <span className="finding-message">{f.message}</span>
      </button>
      {f.fix !== null && f.fixable && (
        <button type="button" className="finding-fix" aria-label={`Fix: ${f.fix}`} title={f.fix} onClick={() => onFix(item.index)}>
          Fix
        </button>
      )}
      {f.fix !== null && !f.fixable && <span className="finding-apply-note">{f.fix}</span>}
    </li>
  );
}

function Group({ group, onSelect, onFix }: { group: FindingGroup; onSelect: Props["onSelect"]; onFix: Props["onFix"] }) {
  const [open, setOpen] = useState(false);
  const [shown, setShown] = useState(FINDINGS_PAGE);
  const Icon = SEVERITY_ICON[group.severity];
  const n = group.members.length;
  const more = n - shown;
  return (
    <li className={`finding-group finding-${group.severity}`}>
      <button type="button" className="finding-main finding-group-head" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? <ChevronDown size={15} aria-hidden="true" /> : <ChevronRight size={15} aria-hidden="true" />}
        <span className="finding-severity">
          <Icon size={15} aria-hidden="true" /> {SEVERITY[group.severity].word}
        </span>
        <span className="finding-rule">{group.rule}</span>
        <span className="finding-count">× {n}</span>
        <span className="finding-message">{group.members[0]?.finding.message}</span>
      </button>
      {open && (
        <ul className="findings-list finding-members" aria-label={`${group.rule}: ${n} findings`}>
          {group.members.slice(0, shown).map((m) => (
            <Row key={m.index} item={m} onSelect={onSelect} onFix={onFix} />
          ))}
          {more > 0 && (
            <li className="findings-more">
              <button type="button" className="link" onClick={() => setShown((k) => k + FINDINGS_PAGE)}>
                Show {Math.min(more, FINDINGS_PAGE)} more (of {n} findings)
              </button>
            </li>
          )}
        </ul>
      )}
    </li>
  );
}

export function Findings({ findings, onSelect, onFix, open, onToggle, empty = false }: Props) {
  const counts = useMemo(() => {
    const c: Record<SeverityView, number> = { error: 0, warning: 0, info: 0 };
    for (const f of findings) c[f.severity] += 1;
    return c;
  }, [findings]);
  // Severities hidden by the bar's toggles.
  const [hidden, setHidden] = useState<SeverityView[]>([]);
  const groups = useMemo(
    () => groupFindings(findings).filter((g) => !hidden.includes(g.severity)),
    [findings, hidden],
  );
  const [shown, setShown] = useState(FINDINGS_PAGE);
  const more = groups.length - shown;
  return (
    <section className="findings" aria-label="Findings">
      <div className="findings-bar">
        <h2 className="findings-summary">
          {(["error", "warning", "info"] as const).map((s) => {
            const Icon = SEVERITY_ICON[s];
            const word = `${counts[s]} ${SEVERITY[s].word.toLowerCase()}${counts[s] === 1 ? "" : "s"}`;
            return (
              <button
                key={s}
                type="button"
                className={`count count-${s}`}
                aria-pressed={!hidden.includes(s)}
                title={hidden.includes(s) ? `Show ${SEVERITY[s].word.toLowerCase()}s` : `Hide ${SEVERITY[s].word.toLowerCase()}s`}
                onClick={() => setHidden((h) => (h.includes(s) ? h.filter((x) => x !== s) : [...h, s]))}
              >
                <Icon size={15} aria-hidden="true" /> {word}
              </button>
            );
          })}
        </h2>
        <button
          type="button"
          className="icon-button findings-toggle"
          aria-expanded={open}
          aria-label={open ? "Hide the findings list" : "Show the findings list"}
          title={open ? "Hide the findings list" : "Show the findings list"}
          onClick={onToggle}
        >
          {open ? <ChevronsDown size={16} aria-hidden="true" /> : <ChevronsUp size={16} aria-hidden="true" />}
        </button>
      </div>
      {open && (
        <div className="findings-body">
          {empty ? (
            <p className="findings-empty">
              Nothing to check yet. Add a bucket, a filter and a function (or start from a template): what AWS would
              reject, and what would fail at run time, shows here as you build.
            </p>
          ) : findings.length === 0 ? (
            <p className="findings-empty">No findings: AWS would accept this wiring.</p>
          ) : groups.length === 0 ? (
            <p className="findings-empty">Every finding is hidden: press a count above to show its severity.</p>
          ) : (
            <ul className="findings-list">
              {groups.slice(0, shown).map((g) =>
                g.members.length === 1 ? (
                  <Row key={g.key} item={g.members[0]} onSelect={onSelect} onFix={onFix} />
                ) : (
                  <Group key={g.key} group={g} onSelect={onSelect} onFix={onFix} />
                ),
              )}
              {more > 0 && (
                <li className="findings-more">
                  <button type="button" className="link" onClick={() => setShown((n) => n + FINDINGS_PAGE)}>
                    Show {Math.min(more, FINDINGS_PAGE)} more (of {groups.length} groups)
                  </button>
                </li>
              )}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
