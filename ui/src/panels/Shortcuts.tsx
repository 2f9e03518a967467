// Help → Keyboard shortcuts: every menu action with its key, by menu, and
// the canvas's own keys.
import { Modal } from "./Modal";
import { MENU, shortcutText } from "../window/menu";

const CANVAS_KEYS: [string, string][] = [
  ["Undo / Redo", "Ctrl+Z / Ctrl+Shift+Z"],
  ["Copy / Paste / Duplicate cards", "Ctrl+C / Ctrl+V / Ctrl+D"],
  ["Remove the selection", "Delete"],
  ["Select several", "Shift+click, Shift+drag"],
  ["Close a menu or dialog", "Escape"],
];

export function Shortcuts({ onClose }: { onClose: () => void }) {
  return (
    <Modal label="Keyboard shortcuts" className="shortcuts" onClose={onClose}>
      <div className="shortcut-columns">
        {MENU.map((sub) => {
          const keyed = sub.items.filter((i) => i.accelerator !== undefined);
          if (keyed.length === 0) return null;
          return (
            <section key={sub.title} aria-label={sub.title}>
              <h3>{sub.title}</h3>
              <dl>
                {keyed.map((i) => (
                  <div key={i.id} className="shortcut">
                    <dt>{i.label.replace(/…$/, "")}</dt>
                    <dd>
                      <kbd>{shortcutText(i.accelerator)}</kbd>
                    </dd>
                  </div>
                ))}
              </dl>
            </section>
          );
        })}
        <section aria-label="On the canvas">
          <h3>On the canvas</h3>
          <dl>
            {CANVAS_KEYS.map(([what, keys]) => (
              <div key={what} className="shortcut">
                <dt>{what}</dt>
                <dd>
                  <kbd>{keys}</kbd>
                </dd>
              </div>
            ))}
          </dl>
        </section>
      </div>
    </Modal>
  );
}
