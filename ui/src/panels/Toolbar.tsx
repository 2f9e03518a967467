// The top bar: document name with the unsaved dot, the document actions,
// Export and Recent menus, Undo and Redo. Each action also has a shortcut
// (see App.tsx).
import { useState } from "react";
import type { ExportFormat } from "../bindings";
import { EXPORTS } from "../editor/documents";

type Props = {
  title: string;
  dirty: boolean;
  canUndo: boolean;
  canRedo: boolean;
  recent: string[];
  exported: string[];
  onNew: () => void;
  onOpen: (path?: string) => void;
  onSave: () => void;
  onSaveAs: () => void;
  onExport: (format: ExportFormat) => void;
  onExportCanvas: (format: "svg" | "png") => void;
  onUndo: () => void;
  onRedo: () => void;
  onLayout: () => void;
  onFind: () => void;
  onHelp: () => void;
  /** The current connection and its account id, always visible. */
  connection: string;
  onConnections: () => void;
  /** Review changes against the current connection; null without one. */
  onReview: (() => void) | null;
  /** Import from the current connection; null without one. */
  onImport: (() => void) | null;
  /** A one-line message about the last action (an import merged). */
  notice: string | null;
  onOpenRecentMenu: () => void;
};

function Menu(props: { label: string; items: { key: string; label: string; run: () => void }[]; onOpen?: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <span className="menu">
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => {
          if (!open) props.onOpen?.();
          setOpen(!open);
        }}
      >
        {props.label} ▾
      </button>
      {open && (
        <ul role="menu" aria-label={props.label} className="menu-list">
          {props.items.length === 0 && <li className="menu-empty">Nothing yet</li>}
          {props.items.map((item) => (
            <li key={item.key} role="none">
              <button
                type="button"
                role="menuitem"
                onClick={() => {
                  setOpen(false);
                  item.run();
                }}
              >
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </span>
  );
}

export function Toolbar(p: Props) {
  return (
    <header className="topbar">
      <span className="app-name">Bucketwire</span>
      <span className="doc-name" aria-label="Document">
        {p.title}
        {p.dirty && (
          <span className="dirty" aria-label="Unsaved changes" title="Unsaved changes">
            {" "}●
          </span>
        )}
      </span>
      <button type="button" className="current-connection" aria-label={`Connection: ${p.connection}`} onClick={p.onConnections}>
        ⛁ {p.connection}
      </button>
      {p.notice !== null && (
        <span className="exported" role="status" aria-label="Notice">
          {p.notice}
        </span>
      )}
      {p.exported.length > 0 && (
        <span className="exported" role="status">
          Exported {p.exported.join(", ")}
        </span>
      )}
      <span className="toolbar">
        <button type="button" onClick={p.onNew} title="Ctrl/Cmd+N">
          New
        </button>
        <button type="button" onClick={() => p.onOpen()} title="Ctrl/Cmd+O">
          Open
        </button>
        <Menu
          label="Recent"
          onOpen={p.onOpenRecentMenu}
          items={p.recent.map((path) => ({ key: path, label: path, run: () => p.onOpen(path) }))}
        />
        <button
          type="button"
          onClick={() => p.onImport?.()}
          disabled={p.onImport === null}
          title={p.onImport === null ? "Choose a connection first" : "Read buckets from the account"}
        >
          Import
        </button>
        <button
          type="button"
          onClick={() => p.onReview?.()}
          disabled={p.onReview === null}
          title={p.onReview === null ? "Choose a connection first" : "Plan against the account"}
        >
          Review changes
        </button>
        <button type="button" onClick={p.onSave} title="Ctrl/Cmd+S">
          Save
        </button>
        <button type="button" onClick={p.onSaveAs} title="Shift+Ctrl/Cmd+S">
          Save As
        </button>
        <Menu
          label="Export"
          items={[
            ...EXPORTS.map((e) => ({ key: e.format, label: e.label, run: () => p.onExport(e.format) })),
            { key: "svg", label: "Canvas as SVG", run: () => p.onExportCanvas("svg") },
            { key: "png", label: "Canvas as PNG", run: () => p.onExportCanvas("png") },
          ]}
        />
        <button type="button" onClick={p.onLayout} title="Shift+Ctrl/Cmd+L">
          Auto-layout
        </button>
        <button type="button" onClick={p.onFind} title="Ctrl/Cmd+K">
          Find
        </button>
        <button type="button" onClick={p.onHelp} title="The guided tour">
          Help
        </button>
        <button type="button" onClick={p.onUndo} disabled={!p.canUndo} title="Ctrl/Cmd+Z">
          Undo
        </button>
        <button type="button" onClick={p.onRedo} disabled={!p.canRedo} title="Shift+Ctrl/Cmd+Z">
          Redo
        </button>
      </span>
    </header>
  );
}
