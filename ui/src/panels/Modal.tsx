// The window's modal screens (Connections, Import, Review changes): a
// dimmed backdrop, a dialog named for assistive technology, its title, the
// screen's content, and a footer whose last button is Close (a screen may
// put its own actions before it).
import type { ReactNode } from "react";

type Props = {
  /** The dialog's accessible name. */
  label: string;
  /** The visible title (defaults to the label). */
  title?: ReactNode;
  /** Extra class for the dialog's width and layout. */
  className: string;
  /** Buttons shown before Close in the footer. */
  actions?: ReactNode;
  onClose: () => void;
  children: ReactNode;
};

export function Modal({ label, title, className, actions, onClose, children }: Props) {
  return (
    <div className="modal-backdrop">
      <div className={`modal ${className}`} role="dialog" aria-label={label}>
        <h2>{title ?? label}</h2>
        {children}
        <div className="connection-actions">
          {actions}
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
