// The findings panel: every finding Rust reported, worst first, with its
// severity as icon and word (never colour alone), its rule and a Fix
// button when the fix is a document edit.
import { useState } from "react";
import type { FindingView_Serialize as FindingView, SeverityView } from "../bindings";

export const SEVERITY: Record<SeverityView, { icon: string; word: string }> = {
  error: { icon: "⛔", word: "Error" },
  warning: { icon: "⚠", word: "Warning" },
  info: { icon: "ⓘ", word: "Info" },
};

type Props = {
  findings: FindingView[];
  onSelect: (finding: FindingView) => void;
  onFix: (index: number) => void;
};

/** Findings listed at first (and per "Show more"): an account with
 * thousands of findings would otherwise put tens of thousands of elements
 * in the window, and every view would lay them all out again. */
export const FINDINGS_PAGE = 200;

export function Findings({ findings, onSelect, onFix }: Props) {
  const count = (s: SeverityView) => findings.filter((f) => f.severity === s).length;
  const [shown, setShown] = useState(FINDINGS_PAGE);
  const more = findings.length - shown;
  return (
    <section className="findings" aria-label="Findings">
      <h2 className="findings-summary">
        {(["error", "warning", "info"] as const).map((s) => (
          <span key={s} className={`count count-${s}`}>
            {SEVERITY[s].icon} {count(s)} {SEVERITY[s].word.toLowerCase()}
            {count(s) === 1 ? "" : "s"}
          </span>
        ))}
      </h2>
      {findings.length === 0 ? (
        <p className="findings-empty">No findings: AWS would accept this wiring.</p>
      ) : (
        <ul className="findings-list">
          {findings.slice(0, shown).map((f, i) => (
            <li key={`${f.rule}-${i}`} className={`finding finding-${f.severity}`}>
              <button type="button" className="finding-main" onClick={() => onSelect(f)}>
                <span className="finding-severity">
                  {SEVERITY[f.severity].icon} {SEVERITY[f.severity].word}
                </span>
                <span className="finding-rule">{f.rule}</span>
                <span className="finding-message">{f.message}</span>
              </button>
              {f.fix !== null && f.fixable && (
                <button
                  type="button"
                  className="finding-fix"
                  aria-label={`Fix: ${f.fix}`}
                  title={f.fix}
                  onClick={() => onFix(i)}
                >
                  Fix
                </button>
              )}
              {f.fix !== null && !f.fixable && <span className="finding-apply-note">{f.fix}</span>}
            </li>
          ))}
          {more > 0 && (
            <li className="findings-more">
              <button type="button" className="link" onClick={() => setShown((n) => n + FINDINGS_PAGE)}>
                Show {Math.min(more, FINDINGS_PAGE)} more (of {findings.length} findings)
              </button>
            </li>
          )}
        </ul>
      )}
    </section>
  );
}
