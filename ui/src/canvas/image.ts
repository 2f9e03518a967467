// The canvas as a picture: an SVG drawn from the nodes React Flow measured
// (cards with their kind, title and details; edges as curves), and a PNG
// rasterised from that SVG in the page. Rust checks and writes the file.
import type { Edge, Node } from "@xyflow/react";
import type { CardData } from "./toFlow";

const ACCENT: Record<string, string> = {
  bucket: "#2e7d32",
  filter: "#5b4bc4",
  function: "#c2410c",
  foreign: "#4a5563",
};

function escape(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function canvasSvg(nodes: Node<CardData>[], edges: Edge[]): string {
  const box = new Map(
    nodes.map((n) => [
      n.id,
      { x: n.position.x, y: n.position.y, w: n.measured?.width ?? 220, h: n.measured?.height ?? 90 },
    ]),
  );
  const all = [...box.values()];
  const pad = 24;
  const minX = Math.min(...all.map((b) => b.x), 0) - pad;
  const minY = Math.min(...all.map((b) => b.y), 0) - pad;
  const width = Math.max(...all.map((b) => b.x + b.w), 0) - minX + pad;
  const height = Math.max(...all.map((b) => b.y + b.h), 0) - minY + pad;
  const parts: string[] = [];
  for (const e of edges) {
    const a = box.get(e.source);
    const b = box.get(e.target);
    if (a === undefined || b === undefined) continue;
    const [x1, y1, x2, y2] = [a.x + a.w, a.y + a.h / 2, b.x, b.y + b.h / 2];
    const mid = (x1 + x2) / 2;
    const dashed = (e.className ?? "").includes("locked") ? ' stroke-dasharray="6 4"' : "";
    parts.push(
      `<path d="M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}" fill="none" stroke="#8a94a3" stroke-width="2"${dashed}/>`,
    );
  }
  for (const n of nodes) {
    const b = box.get(n.id);
    if (b === undefined) continue;
    const view = n.data.view;
    const lines = [
      `<text x="${b.x + 16}" y="${b.y + 20}" font-size="11" fill="#4a5563">${escape(view.kind.toUpperCase())}</text>`,
      `<text x="${b.x + 16}" y="${b.y + 40}" font-size="15" font-weight="600" fill="#1b1f24">${escape(view.title)}</text>`,
      ...view.details.map(
        (d, i) =>
          `<text x="${b.x + 16}" y="${b.y + 58 + i * 16}" font-size="12" font-family="monospace" fill="#4a5563">${escape(d)}</text>`,
      ),
    ];
    parts.push(
      `<g><rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="8" fill="#ffffff" stroke="#c9d1db"/>` +
        `<rect x="${b.x}" y="${b.y}" width="6" height="${b.h}" rx="3" fill="${ACCENT[view.kind] ?? "#4a5563"}"/>` +
        `${lines.join("")}</g>`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" height="${Math.ceil(height)}" ` +
    `viewBox="${minX} ${minY} ${Math.ceil(width)} ${Math.ceil(height)}" font-family="system-ui, sans-serif">` +
    `<rect x="${minX}" y="${minY}" width="100%" height="100%" fill="#f6f7f9"/>` +
    `${parts.join("\n")}</svg>`
  );
}

/** The largest side and area (in pixels) a canvas may have in the web views
 * the app runs in; past them `toDataURL` answers an empty image. */
export const PNG_MAX_SIDE = 16384;
const PNG_MAX_AREA = 8192 * 8192;

/** A PNG of the SVG, as base64 bytes, and the scale it was drawn at: twice
 * its size, or less when that would pass the limits (a large account's
 * canvas), so the picture always comes out whole. */
export async function svgToPng(svg: string): Promise<{ data: string; scale: number }> {
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await image.decode();
  const [w, h] = [Math.max(image.width, 1), Math.max(image.height, 1)];
  const scale = Math.min(2, PNG_MAX_SIDE / w, PNG_MAX_SIDE / h, Math.sqrt(PNG_MAX_AREA / (w * h)));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.floor(w * scale));
  canvas.height = Math.max(1, Math.floor(h * scale));
  const context = canvas.getContext("2d");
  if (context === null) throw new Error("no 2D canvas");
  context.scale(scale, scale);
  context.drawImage(image, 0, 0);
  const url = canvas.toDataURL("image/png");
  const prefix = "data:image/png;base64,";
  if (!url.startsWith(prefix) || url.length === prefix.length) {
    throw new Error(`the canvas (${w} × ${h} px) could not be drawn as a PNG; export it as SVG instead`);
  }
  return { data: url.slice(prefix.length), scale };
}
