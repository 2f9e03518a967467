// The window's modal screens (Connections, Import, Review changes, the
// shortcuts) on Radix's dialog: a dimmed backdrop, focus kept inside and
// returned where it was, Escape and a click outside close it; a title, the
// screen's content, and a footer whose last button is Close (a screen may
// put its own actions before it).
import type { ReactNode } from "react";
import * as Dialog from "@radix-ui/react-dialog";

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
  /** False while closing would lose work in flight (an apply running):
   * Escape and outside clicks are ignored then. */
  dismissible?: boolean;
};

export function Modal({ label, title, className, actions, onClose, children, dismissible = true }: Props) {
  return (
    <Dialog.Root open onOpenChange={(open) => !open && dismissible && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="modal-backdrop" />
        <Dialog.Content className={`modal ${className}`} aria-label={label} aria-labelledby={undefined} aria-describedby={undefined}>
          <Dialog.Title>{title ?? label}</Dialog.Title>
          {/* The body scrolls; the title and the buttons stay in view. */}
          <div className="modal-body">{children}</div>
          <div className="connection-actions">
            {actions}
            <button type="button" onClick={onClose}>
              Close
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
