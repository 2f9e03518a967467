// New, Open, Save, Save As and Export: the file dialogs around the
// document commands. Rust reads and writes the files; this only asks the
// user where, and whether to drop unsaved changes first.
import { ask, open, save } from "@tauri-apps/plugin-dialog";
import { commands, type ExportFormat } from "../bindings";
import type { Editor } from "./useEditor";
import { svgToPng, PNG_MAX_SIDE } from "../canvas/image";

const DOCUMENTS = [{ name: "Bucketwire document", extensions: ["json"] }];
/** What Open takes: a document, or a template whose wiring opens as a new
 * document (CloudFormation, SAM, CDK output, a Terraform module's file). */
const OPENABLE = [
  { name: "Bucketwire document or template", extensions: ["json", "yaml", "yml", "template", "tf"] },
  ...DOCUMENTS,
];

export const EXPORTS: { format: ExportFormat; label: string; extension: string; filter: string }[] = [
  { format: "s3", label: "S3 notification configuration (AWS JSON)", extension: "json", filter: "JSON" },
  { format: "cli", label: "AWS CLI script", extension: "sh", filter: "Shell script" },
  { format: "cloudformation", label: "CloudFormation template", extension: "yaml", filter: "YAML" },
  { format: "terraform", label: "Terraform configuration", extension: "tf", filter: "Terraform" },
];

/** True when there is nothing unsaved, or the user agrees to lose it. */
async function mayDiscard(editor: Editor): Promise<boolean> {
  if (editor.view?.dirty !== true) return true;
  return ask("This document has changes that are not saved. Continue and lose them?", {
    title: "Unsaved changes",
    kind: "warning",
    okLabel: "Lose changes",
    cancelLabel: "Cancel",
  });
}

export async function newDocument(editor: Editor): Promise<void> {
  if (await mayDiscard(editor)) await editor.load(commands.newDocument);
}

export async function openDocument(editor: Editor, known?: string): Promise<void> {
  if (!(await mayDiscard(editor))) return;
  const path = known ?? (await open({ multiple: false, directory: false, filters: OPENABLE }));
  if (typeof path === "string") await editor.run(() => commands.openDocument(path));
}

export async function saveDocumentAs(editor: Editor): Promise<void> {
  const path = await save({ filters: DOCUMENTS, defaultPath: editor.view?.path ?? "wiring.bucketwire.json" });
  if (path !== null) await editor.run(() => commands.saveDocument(path));
}

export async function saveDocument(editor: Editor): Promise<void> {
  // A document opened from a CloudFormation or SAM template is saved back
  // into it (Rust writes every edit or none, and says which cannot be).
  if (editor.view?.path == null && editor.view?.template == null) return saveDocumentAs(editor);
  await editor.run(() => commands.saveDocument(null));
}

/** The canvas as SVG or PNG: `draw` makes the SVG from what is on screen. */
export async function exportCanvas(
  editor: Editor,
  format: "svg" | "png",
  draw: () => string,
): Promise<string[]> {
  const name = format === "svg" ? "SVG image" : "PNG image";
  const path = await save({ filters: [{ name, extensions: [format] }] });
  if (path === null) return [];
  const svg = draw();
  let data = svg;
  let note = "";
  if (format === "png") {
    try {
      const png = await svgToPng(svg);
      data = png.data;
      // Say so when a large canvas had to be drawn smaller than usual.
      if (png.scale < 1) note = ` (scaled to ${Math.round(png.scale * 100)}% to stay within ${PNG_MAX_SIDE} px)`;
    } catch (e) {
      editor.report(String(e instanceof Error ? e.message : e));
      return [];
    }
  }
  const outcome = await commands.exportImage(format, path, data);
  if (outcome.status === "ok") return [outcome.data + note];
  editor.report(outcome.error.message);
  return [];
}

/** Exports — the selected buckets only when `chosen` (the selection)
 * holds any, else every bucket the document manages; answers the files
 * written (empty when cancelled or failed). */
export async function exportDocument(editor: Editor, format: ExportFormat, chosen: string[] = []): Promise<string[]> {
  const choice = EXPORTS.find((e) => e.format === format);
  if (choice === undefined) return [];
  const path = await save({ filters: [{ name: choice.filter, extensions: [choice.extension] }] });
  if (path === null) return [];
  const outcome = await commands.exportDocument(format, path, chosen);
  if (outcome.status === "ok") return outcome.data;
  editor.report(outcome.error.message);
  return [];
}
