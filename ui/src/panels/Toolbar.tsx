// The top bar: the document's name (its path in a tooltip) with the
// unsaved dot, icon buttons for the frequent actions (each named, with its
// shortcut in the tooltip), the Recent and Export menus, the current
// connection (always visible), Import and Review changes. Everything here
// is also in the native menu bar and in Find.
import {
  FilePlus,
  FolderOpen,
  History,
  Save,
  SaveAll,
  Download,
  Undo2,
  Redo2,
  Network,
  Search,
  CircleHelp,
  Plug,
  CloudDownload,
  GitCompareArrows,
  PanelLeft,
  PanelRight,
  PanelBottom,
  X,
} from "lucide-react";
import { useEffect, useRef, useState } from "react";
import type { ExportFormat } from "../bindings";
import { EXPORTS } from "../editor/documents";
import { DropdownMenu, IconButton, type MenuEntry } from "../window/controls";
import { shortcutOf } from "../window/menu";
import type { ThemeChoice } from "../window/theme";

/** Which side panels are open (the View toggles). */
export type PanelsShown = { palette: boolean; inspector: boolean; findings: boolean };

type Props = {
  /** The document's file, or null while untitled. */
  path: string | null;
  dirty: boolean;
  canUndo: boolean;
  canRedo: boolean;
  recent: string[];
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
  onTour: () => void;
  onShortcuts: () => void;
  theme: ThemeChoice;
  onTheme: (choice: ThemeChoice) => void;
  panels: PanelsShown;
  onTogglePanel: (panel: keyof PanelsShown) => void;
  /** The current connection and its account id, always visible. */
  connection: string;
  onConnections: () => void;
  /** Review changes against the current connection; null without one. */
  onReview: (() => void) | null;
  /** Import from the current connection; null without one. */
  onImport: (() => void) | null;
  onOpenRecentMenu: () => void;
};

/** A file's name without its folders ("a/b/wiring.bucketwire.json" → "wiring.bucketwire.json"). */
export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

const ICON = 18;

/** The panel toggles, in the order the panels sit (left, bottom, right). */
const PANEL_TOGGLES = [
  { panel: "palette", label: "Palette", Icon: PanelLeft },
  { panel: "findings", label: "Findings panel", Icon: PanelBottom },
  { panel: "inspector", label: "Inspector", Icon: PanelRight },
] as const;

export function Toolbar(p: Props) {
  const name = p.path === null ? "Untitled" : fileName(p.path);
  const exports: MenuEntry[] = [
    ...EXPORTS.map((e) => ({ key: e.format, label: e.label, run: () => p.onExport(e.format) })),
    { key: "sep", separator: true as const },
    { key: "svg", label: "Canvas as SVG", run: () => p.onExportCanvas("svg") },
    { key: "png", label: "Canvas as PNG", run: () => p.onExportCanvas("png") },
  ];
  const help: MenuEntry[] = [
    { key: "tour", label: "The tour", run: p.onTour },
    { key: "shortcuts", label: "Keyboard shortcuts", run: p.onShortcuts, shortcut: shortcutOf("shortcuts") },
    { key: "sep", separator: true as const },
    ...(["system", "light", "dark"] as const).map((t) => ({
      key: `theme-${t}`,
      label: t === "system" ? "Theme: as the system" : `Theme: ${t}`,
      run: () => p.onTheme(t),
      checked: p.theme === t,
    })),
  ];
  return (
    <header className="topbar">
      <span className="brand" title="Bucketwire">
        <svg viewBox="0 0 24 24" width="22" height="22">
          <path d="M4 6h6v4H4zM14 14h6v4h-6z" fill="var(--bucket)" />
          <path d="M10 8c4 0 0 8 4 8" stroke="var(--accent)" strokeWidth="2" fill="none" />
        </svg>
      </span>
      <span className="doc-name" aria-label="Document" title={p.path ?? "Not saved yet"}>
        {name}
        {p.dirty && (
          <span className="dirty" aria-label="Unsaved changes" title="Unsaved changes">
            {" "}●
          </span>
        )}
      </span>
      <nav className="toolbar" aria-label="Toolbar">
        <span className="tool-group">
          <IconButton label="New" shortcut={shortcutOf("new")} icon={<FilePlus size={ICON} />} onClick={p.onNew} />
          <IconButton label="Open" shortcut={shortcutOf("open")} icon={<FolderOpen size={ICON} />} onClick={() => p.onOpen()} />
          <DropdownMenu
            label="Recent"
            icon={<History size={ICON} />}
            onOpen={p.onOpenRecentMenu}
            align="start"
            items={p.recent.map((path) => ({ key: path, label: path, run: () => p.onOpen(path) }))}
          />
          <IconButton label="Save" shortcut={shortcutOf("save")} icon={<Save size={ICON} />} onClick={p.onSave} />
          <IconButton label="Save As" shortcut={shortcutOf("save-as")} icon={<SaveAll size={ICON} />} onClick={p.onSaveAs} />
          <DropdownMenu label="Export" icon={<Download size={ICON} />} items={exports} align="start" />
        </span>
        <span className="tool-group">
          <IconButton label="Undo" shortcut="Ctrl+Z" icon={<Undo2 size={ICON} />} onClick={p.onUndo} disabled={!p.canUndo} />
          <IconButton label="Redo" shortcut="Ctrl+Shift+Z" icon={<Redo2 size={ICON} />} onClick={p.onRedo} disabled={!p.canRedo} />
        </span>
        <span className="tool-group">
          <IconButton label="Auto-layout" shortcut={shortcutOf("auto-layout")} icon={<Network size={ICON} />} onClick={p.onLayout} />
          <IconButton label="Find" shortcut={shortcutOf("find")} icon={<Search size={ICON} />} onClick={p.onFind} />
        </span>
        <span className="tool-group">
          {PANEL_TOGGLES.map(({ panel, label, Icon }) => (
            <IconButton
              key={panel}
              label={label}
              shortcut={shortcutOf(`toggle-${panel}`)}
              icon={<Icon size={ICON} />}
              pressed={p.panels[panel]}
              onClick={() => p.onTogglePanel(panel)}
            />
          ))}
        </span>
      </nav>
      <span className="topbar-spacer" />
      <span className="account-tools">
        <button
          type="button"
          className="current-connection"
          aria-label={`Connection: ${p.connection}`}
          title={`Connection: ${p.connection} (choose another)`}
          onClick={p.onConnections}
        >
          <Plug size={16} aria-hidden="true" />
          <span>{p.connection}</span>
        </button>
        <IconButton
          label="Import"
          text
          icon={<CloudDownload size={ICON} />}
          onClick={() => p.onImport?.()}
          disabled={p.onImport === null}
          hint={p.onImport === null ? "Choose a connection first" : "Read buckets from the account"}
          shortcut={shortcutOf("import")}
        />
        <IconButton
          label="Review changes"
          text
          className="primary"
          icon={<GitCompareArrows size={ICON} />}
          onClick={() => p.onReview?.()}
          disabled={p.onReview === null}
          hint={p.onReview === null ? "Choose a connection first" : "Plan against the account, then apply"}
          shortcut={shortcutOf("review")}
        />
        <DropdownMenu label="Help" icon={<CircleHelp size={ICON} />} items={help} />
      </span>
    </header>
  );
}

/** How long a finished action's notice stays (ms) while the pointer and
 * the keyboard are elsewhere. */
export const NOTICE_STAYS = 10_000;

/** The last action's one-line messages (an import merged, the files an
 * export wrote), in the window's corner. Work in progress ("Arranging…")
 * stays until replaced; a finished action's message goes after
 * `NOTICE_STAYS`, or when dismissed, and stays while pointed at or
 * focused (so it can be read to the end). */
export function Notices({ notice, exported, onDismiss }: { notice: string | null; exported: string[]; onDismiss: () => void }) {
  const [held, setHeld] = useState(false);
  const finished = (notice !== null && !notice.endsWith("…")) || (notice === null && exported.length > 0);
  const latest = useRef(onDismiss);
  latest.current = onDismiss;
  useEffect(() => {
    if (!finished || held) return;
    const timer = window.setTimeout(() => latest.current(), NOTICE_STAYS);
    return () => window.clearTimeout(timer);
  }, [finished, held, notice, exported]);
  if (notice === null && exported.length === 0) return null;
  return (
    <div
      className="notices"
      onPointerEnter={() => setHeld(true)}
      onPointerLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)}
      onBlur={() => setHeld(false)}
    >
      {notice !== null && (
        <span className="notice" role="status" aria-label="Notice">
          {notice}
        </span>
      )}
      {exported.length > 0 && (
        <span className="notice" role="status">
          Exported {exported.join(", ")}
        </span>
      )}
      <button type="button" className="icon-button" aria-label="Dismiss the notice" onClick={onDismiss}>
        <X size={14} aria-hidden="true" />
      </button>
    </div>
  );
}
