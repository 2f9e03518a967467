// The window's small controls on Radix primitives: an icon button with a
// tooltip (its name is also its accessible name), and a dropdown menu
// (Escape and a click outside close it, arrow keys move through it, focus
// returns to its button).
import type { ReactNode } from "react";
import * as Dropdown from "@radix-ui/react-dropdown-menu";
import * as Tooltip from "@radix-ui/react-tooltip";
import { ChevronDown } from "lucide-react";

type IconButtonProps = {
  /** The accessible name, also the tooltip's first line. */
  label: string;
  /** Shown after the name in the tooltip ("Ctrl+S"). */
  shortcut?: string;
  /** Why it is disabled, or what it does, in the tooltip. */
  hint?: string;
  icon: ReactNode;
  onClick: () => void;
  disabled?: boolean;
  /** Show the label beside the icon (the frequent, primary actions). */
  text?: boolean;
  className?: string;
  pressed?: boolean;
};

/** A button showing an icon (and optionally its name), named by its label. */
export function IconButton({ label, shortcut, hint, icon, onClick, disabled, text, className, pressed }: IconButtonProps) {
  return (
    <Tip text={label} shortcut={shortcut} hint={hint}>
      <button
        type="button"
        className={`icon-button${text === true ? " with-text" : ""}${className === undefined ? "" : ` ${className}`}`}
        aria-label={label}
        aria-pressed={pressed}
        onClick={onClick}
        disabled={disabled}
      >
        {icon}
        {text === true && <span>{label}</span>}
      </button>
    </Tip>
  );
}

/** A tooltip over `children` (a focusable element): on hover and focus. */
export function Tip({ text, shortcut, hint, children }: { text: string; shortcut?: string; hint?: string; children: ReactNode }) {
  return (
    <Tooltip.Root>
      <Tooltip.Trigger asChild>
        {/* A disabled button fires no pointer events: the span does. */}
        <span className="tip-anchor">{children}</span>
      </Tooltip.Trigger>
      <Tooltip.Portal>
        <Tooltip.Content className="tooltip" sideOffset={6} collisionPadding={8}>
          <span>{text}</span>
          {shortcut !== undefined && shortcut !== "" && <kbd>{shortcut}</kbd>}
          {hint !== undefined && <span className="tooltip-hint">{hint}</span>}
        </Tooltip.Content>
      </Tooltip.Portal>
    </Tooltip.Root>
  );
}

export type MenuEntry =
  | { key: string; label: string; run: () => void; shortcut?: string; icon?: ReactNode; checked?: boolean }
  | { key: string; separator: true };

/** A button that opens a menu of `items` ("Nothing yet" when empty). */
export function DropdownMenu(props: {
  label: string;
  icon?: ReactNode;
  items: MenuEntry[];
  onOpen?: () => void;
  /** Show the label beside the icon. */
  text?: boolean;
  align?: "start" | "end";
}) {
  return (
    <Dropdown.Root modal={false} onOpenChange={(open) => open && props.onOpen?.()}>
      <Dropdown.Trigger asChild>
        <button type="button" className={`icon-button menu-button${props.text === true ? " with-text" : ""}`} aria-label={props.label} title={props.label}>
          {props.icon}
          {props.text === true && <span>{props.label}</span>}
          <ChevronDown size={14} aria-hidden="true" />
        </button>
      </Dropdown.Trigger>
      <Dropdown.Portal>
        <Dropdown.Content className="menu-list" aria-label={props.label} align={props.align ?? "end"} sideOffset={4} collisionPadding={8}>
          {props.items.length === 0 && <div className="menu-empty">Nothing yet</div>}
          {props.items.map((item) =>
            "separator" in item ? (
              <Dropdown.Separator key={item.key} className="menu-separator" />
            ) : item.checked !== undefined ? (
              <Dropdown.CheckboxItem key={item.key} className="menu-item" checked={item.checked} onSelect={item.run}>
                <span className="menu-icon" aria-hidden="true">
                  {item.checked ? "✓" : null}
                </span>
                <span className="menu-label">{item.label}</span>
              </Dropdown.CheckboxItem>
            ) : (
              <Dropdown.Item key={item.key} className="menu-item" onSelect={item.run}>
                <span className="menu-icon" aria-hidden="true">
                  {item.icon}
                </span>
                <span className="menu-label">{item.label}</span>
                {item.shortcut !== undefined && item.shortcut !== "" && <kbd>{item.shortcut}</kbd>}
              </Dropdown.Item>
            ),
          )}
        </Dropdown.Content>
      </Dropdown.Portal>
    </Dropdown.Root>
  );
}
