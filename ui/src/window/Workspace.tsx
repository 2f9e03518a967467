// The window below the top bar: the sidebar (palette), the canvas with the
// findings under it, and the inspector, split by handles that resize them
// (by pointer, or by keyboard: focus a handle, then the arrow keys). Each
// side panel folds away (View menu, the toolbar's toggles, or dragging it
// shut); sizes and folds are remembered across restarts. The canvas keeps
// the largest share: the side panels keep their pixel width when the
// window is resized.
import { useCallback, useEffect, useImperativeHandle, useRef, useState, type ReactNode, type Ref } from "react";
import { Group, Panel, Separator, type PanelImperativeHandle, type PanelSize } from "react-resizable-panels";
import { preference, remember } from "./preferences";
import type { PanelsShown } from "../panels/Toolbar";

/** What the window can ask of the workspace. */
export type WorkspaceControls = { toggle: (panel: keyof PanelsShown) => void };

/** The findings bar's height: what a folded findings panel keeps. */
export const FINDINGS_BAR = 38;

/** A document of more cards than this is large: an account's. Its
 * findings start folded to their bar of counts, so the canvas can show the
 * account; a person who opens them with a large document open finds them
 * open the next time (large documents remember their own fold). */
export const LARGE_DOCUMENT = 100;

/** The preference a fold of the findings is kept under, by document size. */
const findingsFold = (large: boolean) => (large ? "panel.findings.large.open" : "panel.findings.folded");

/** Whether the findings panel is folded while a document of this size is
 * open: a large one's fold defaults to folded, a small one's to open. */
export function findingsFolded(large: boolean): boolean {
  return large ? preference(findingsFold(true)) !== "1" : preference(findingsFold(false)) === "1";
}

type Props = {
  sidebar: ReactNode;
  canvas: ReactNode;
  /** The findings panel, told whether its list is open and how to fold it. */
  findings: (open: boolean, toggle: () => void) => ReactNode;
  inspector: ReactNode;
  controls: Ref<WorkspaceControls>;
  /** Which panels are open, on every change. */
  onShown: (shown: PanelsShown) => void;
  /** Whether the open document is large (see `LARGE_DOCUMENT`). */
  large: boolean;
};

export function Workspace({ sidebar, canvas, findings, inspector, controls, onShown, large }: Props) {
  const refs = {
    palette: useRef<PanelImperativeHandle | null>(null),
    inspector: useRef<PanelImperativeHandle | null>(null),
    findings: useRef<PanelImperativeHandle | null>(null),
  };
  // Sizes are kept in pixels (the window may open at another size) and
  // folds apart from them, so unfolding returns the size the panel had.
  const saved = (panel: keyof PanelsShown, fallback: number) => {
    const px = Number(preference(`panel.${panel}`));
    return Number.isFinite(px) && px > 0 ? px : fallback;
  };
  const folded = (panel: keyof PanelsShown) => preference(`panel.${panel}.folded`) === "1";
  // Read before the panels mount (their first resize rewrites the folds).
  const [initial] = useState<PanelsShown>(() => ({
    palette: !folded("palette"),
    inspector: !folded("inspector"),
    findings: !findingsFolded(large),
  }));
  // The findings' fold is the one of the open document's size: when a
  // large document replaces a small one (or back), the panel takes that
  // size's fold. Read by `watch` too, which remembers a fold under it.
  const largeNow = useRef(large);
  useEffect(() => {
    if (largeNow.current === large) return;
    largeNow.current = large;
    const handle = refs.findings.current;
    if (handle === null) return;
    if (findingsFolded(large)) handle.collapse();
    else handle.expand();
    // The refs are stable.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [large]);
  const [shown, setShown] = useState<PanelsShown>(initial);
  useEffect(() => {
    for (const panel of ["palette", "inspector", "findings"] as const) if (!initial[panel]) refs[panel].current?.collapse();
    // Once, at mount: what was folded at the last run.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const latest = useRef(onShown);
  latest.current = onShown;
  const note = useCallback((panel: keyof PanelsShown, open: boolean) => {
    setShown((s) => {
      if (s[panel] === open) return s;
      const next = { ...s, [panel]: open };
      latest.current(next);
      return next;
    });
  }, []);
  const toggle = useCallback(
    (panel: keyof PanelsShown) => {
      const handle = refs[panel].current;
      if (handle === null) return;
      if (handle.isCollapsed()) handle.expand();
      else handle.collapse();
    },
    // The refs are stable.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );
  useImperativeHandle(controls, () => ({ toggle }), [toggle]);
  const watch = (panel: keyof PanelsShown) => (size: PanelSize) => {
    const handle = refs[panel].current;
    if (handle === null) return;
    const open = !handle.isCollapsed();
    note(panel, open);
    if (open) remember(`panel.${panel}`, String(Math.round(size.inPixels)));
    if (panel !== "findings") remember(`panel.${panel}.folded`, open ? null : "1");
    else if (largeNow.current) remember(findingsFold(true), open ? "1" : null);
    else remember(findingsFold(false), open ? null : "1");
  };
  /** What every foldable panel shares: its handle, its remembered size, and
   * its pixel width kept when the window is resized. */
  const foldable = (panel: keyof PanelsShown, fallback: number) => ({
    panelRef: refs[panel],
    defaultSize: saved(panel, fallback),
    collapsible: true,
    groupResizeBehavior: "preserve-pixel-size" as const,
    onResize: watch(panel),
  });
  return (
    <Group orientation="horizontal" className="workspace" id="layout.across">
      <Panel
        id="sidebar"
        className="panel-sidebar"
        {...foldable("palette", 180)}
        minSize={150}
        maxSize={420}
      >
        {shown.palette && sidebar}
      </Panel>
      <Separator className="splitter splitter-across" aria-label="Resize the palette" />
      <Panel id="centre" minSize={320}>
        <Group orientation="vertical" className="centre" id="layout.down">
          <Panel id="canvas" className="panel-canvas" minSize={200}>
            {canvas}
          </Panel>
          <Separator className="splitter splitter-down" aria-label="Resize the findings" />
          <Panel
            id="findings"
            className="panel-findings"
            {...foldable("findings", 160)}
            minSize={110}
            maxSize="70%"
            collapsedSize={FINDINGS_BAR}
          >
            {findings(shown.findings, () => toggle("findings"))}
          </Panel>
        </Group>
      </Panel>
      <Separator className="splitter splitter-across" aria-label="Resize the inspector" />
      <Panel
        id="inspector"
        className="panel-inspector"
        {...foldable("inspector", 300)}
        minSize={240}
        maxSize={560}
      >
        {shown.inspector && inspector}
      </Panel>
    </Group>
  );
}
