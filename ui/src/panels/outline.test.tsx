import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/react";
import type { NodeView_Serialize as NodeView, OutlineView } from "../bindings";
import { Outline, outlineRows } from "./Outline";

const node = (id: string, kind: NodeView["kind"], title: string, severity: "error" | "warning" | null = null) =>
  ({ id, kind, title, details: [], badge: severity === null ? null : { severity, count: 1 } }) as unknown as NodeView;
const nodes = new Map(
  [
    node("photos", "bucket", "acme-photos", "warning"),
    node("docs", "bucket", "acme-docs"),
    node("eu", "bucket", "acme-eu"),
    node("jpg", "filter", "thumbnails"),
    node("pdf", "filter", "pdf-thumbs"),
    node("fanout", "topic", "fanout"),
    node("thumbs", "function", "thumbs", "error"),
    node("scan", "function", "scan"),
  ].map((n) => [n.id, n]),
);
const outline: OutlineView = {
  groups: [
    { account: "111111111111", region: "eu-west-1", buckets: [{ id: "eu", paths: [{ through: ["pdf", "fanout"], functions: ["scan", "thumbs"] }] }] },
    {
      account: "111111111111",
      region: "us-east-1",
      buckets: [
        { id: "docs", paths: [{ through: ["jpg"], functions: [] }] },
        { id: "photos", paths: [{ through: ["jpg"], functions: ["thumbs"] }] },
      ],
    },
  ],
  functions: [
    { id: "scan", triggeredBy: ["eu"] },
    { id: "thumbs", triggeredBy: ["eu", "photos"] },
  ],
};

describe("outlineRows", () => {
  it("names every bucket, path and function from the document, by group", () => {
    const rows = outlineRows(outline, nodes, "", new Set());
    expect(rows.map((r) => `${r.level} ${r.text}`)).toEqual([
      "1 eu-west-1 · 1 bucket",
      "2 acme-eu",
      "3 pdf-thumbs → fanout → scan, thumbs",
      "1 us-east-1 · 2 buckets",
      "2 acme-docs",
      "3 thumbnails → nothing yet",
      "2 acme-photos",
      "3 thumbnails → thumbs",
      "1 Functions · 2",
      "2 scan · 1 bucket",
      "3 ← acme-eu",
      "2 thumbs · 2 buckets",
      "3 ← acme-eu",
      "3 ← acme-photos",
    ]);
    // A row selects its node; a heading folds its group; badges show.
    expect(rows[2].node).toBe("pdf");
    expect(rows[0].node).toBeNull();
    expect(rows.find((r) => r.node === "photos")?.severity).toBe("warning");
  });

  it("keeps what the search matches, by name or path, and leaves a folded group's insides out", () => {
    const found = outlineRows(outline, nodes, "THUMBS", new Set(["functions"]));
    expect(found.map((r) => r.text)).toEqual([
      "eu-west-1 · 1 bucket",
      "acme-eu",
      "pdf-thumbs → fanout → scan, thumbs",
      "us-east-1 · 1 bucket",
      "acme-photos",
      "thumbnails → thumbs",
      "Functions · 1",
    ]);
    expect(outlineRows(outline, nodes, "nothing of the sort", new Set())).toEqual([]);
  });
});

describe("Outline", () => {
  it("is a tree for the keyboard: arrows move, Enter selects, Left folds a group", () => {
    const onSelect = vi.fn();
    render(<Outline outline={outline} nodes={nodes} selected={["photos"]} onSelect={onSelect} />);
    const tree = screen.getByRole("tree", { name: "Buckets and functions" });
    // The selected card's row is the active one, and marked selected.
    expect(tree.getAttribute("aria-activedescendant")).toBe("outline-row-6");
    expect(within(tree).getByRole("treeitem", { name: "acme-photos, worst finding: Warning", selected: true })).toBeTruthy();
    fireEvent.keyDown(tree, { key: "Home" });
    fireEvent.keyDown(tree, { key: "ArrowDown" });
    fireEvent.keyDown(tree, { key: "Enter" });
    expect(onSelect).toHaveBeenLastCalledWith("eu");
    fireEvent.keyDown(tree, { key: "ArrowLeft" });
    expect(tree.getAttribute("aria-activedescendant")).toBe("outline-row-0");
    fireEvent.keyDown(tree, { key: "ArrowLeft" });
    expect(within(tree).getByRole("treeitem", { name: /^eu-west-1/ }).getAttribute("aria-expanded")).toBe("false");
    expect(within(tree).queryByRole("treeitem", { name: "acme-eu" })).toBeNull();
    fireEvent.keyDown(tree, { key: "ArrowRight" });
    expect(within(tree).getByRole("treeitem", { name: "acme-eu" })).toBeTruthy();
    fireEvent.keyDown(tree, { key: "End" });
    fireEvent.keyDown(tree, { key: "Enter" });
    expect(onSelect).toHaveBeenLastCalledWith("photos");
  });
});
