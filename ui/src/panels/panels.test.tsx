import { describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import type { EventFamilyView, FindingView_Serialize as FindingView, NodeUpdate_Serialize as NodeUpdate, NodeView_Serialize as NodeView } from "../bindings";
import { EventPicker } from "./EventPicker";
import { Findings } from "./Findings";
import { Inspector } from "./Inspector";
import { NOTICE_STAYS, Notices } from "./Toolbar";

const catalog: EventFamilyView[] = [
  {
    name: "ObjectCreated",
    wildcard: "s3:ObjectCreated:*",
    members: ["s3:ObjectCreated:Put", "s3:ObjectCreated:Post"],
  },
  { name: "LifecycleTransition", wildcard: null, members: ["s3:LifecycleTransition"] },
];

const finding = (over: Partial<FindingView>): FindingView => ({
  rule: "overlapping-configurations",
  severity: "error",
  message: "both match uploads/a.jpg",
  nodes: ["photos", "a", "b"],
  source: "docs/rules.md §1",
  fix: null,
  fixable: false,
  ...over,
});

describe("Findings", () => {
  it("counts by severity in words, and offers Fix only for document fixes", () => {
    const onFix = vi.fn();
    const onSelect = vi.fn();
    const findings = [
      finding({}),
      finding({ rule: "invalid-event-type", severity: "warning", fix: "set the events", fixable: true }),
      finding({ rule: "missing-invoke-permission", severity: "warning", fix: "Apply will make: function thumbs: + permission x", fixable: false }),
    ];
    render(<Findings findings={findings} onSelect={onSelect} onFix={onFix} open onToggle={() => {}} />);
    const panel = screen.getByRole("region", { name: "Findings" });
    expect(within(panel).getByRole("heading").textContent).toMatch(/1 error.*2 warnings.*0 infos/);
    const fixes = within(panel).getAllByRole("button", { name: /^Fix:/ });
    expect(fixes).toHaveLength(1);
    fireEvent.click(fixes[0]);
    expect(onFix).toHaveBeenCalledWith(1);
    expect(within(panel).getByText("Apply will make: function thumbs: + permission x")).toBeTruthy();
    const [first] = within(panel).getAllByText("both match uploads/a.jpg", { selector: ".finding-message" });
    fireEvent.click(first.closest("button") as HTMLElement);
    expect(onSelect).toHaveBeenCalledWith(findings[0]);
  });

  it("groups repeated findings into one row that opens a page of them at a time", () => {
    const many = Array.from({ length: 450 }, (_, i) => finding({ message: `finding ${i}` }));
    render(<Findings findings={[...many, finding({ rule: "invalid-event-type", severity: "warning" })]} onSelect={() => {}} onFix={() => {}} open onToggle={() => {}} />);
    const panel = screen.getByRole("region", { name: "Findings" });
    expect(within(panel).getByRole("heading").textContent).toMatch(/450 errors.*1 warning/);
    // One group row and one single finding.
    expect(panel.querySelectorAll(".finding")).toHaveLength(1);
    const head = panel.querySelector(".finding-group-head") as HTMLElement;
    expect(head.textContent).toMatch(/overlapping-configurations× 450/);
    expect(head.getAttribute("aria-expanded")).toBe("false");
    fireEvent.click(head);
    expect(panel.querySelectorAll(".finding-members .finding")).toHaveLength(200);
    // (Text, not role, queries: roles over 450 rows are slow in jsdom.)
    fireEvent.click(within(panel).getByText("Show 200 more (of 450 findings)"));
    fireEvent.click(within(panel).getByText("Show 50 more (of 450 findings)"));
    expect(panel.querySelectorAll(".finding-members .finding")).toHaveLength(450);
    expect(within(panel).queryByText(/^Show \d/)).toBeNull();
  });

  it("hides a severity by its count, and folds its list away", () => {
    const onToggle = vi.fn();
    const findings = [finding({}), finding({ rule: "invalid-event-type", severity: "warning", message: "odd event" })];
    const { rerender } = render(<Findings findings={findings} onSelect={() => {}} onFix={() => {}} open onToggle={onToggle} />);
    const panel = screen.getByRole("region", { name: "Findings" });
    const errors = within(panel).getByRole("button", { name: /1 error/ });
    expect(errors.getAttribute("aria-pressed")).toBe("true");
    fireEvent.click(errors);
    expect(errors.getAttribute("aria-pressed")).toBe("false");
    expect(within(panel).queryByText("both match uploads/a.jpg")).toBeNull();
    expect(within(panel).getByText("odd event")).toBeTruthy();
    fireEvent.click(within(panel).getByRole("button", { name: /1 warning/ }));
    expect(within(panel).getByText(/Every finding is hidden/)).toBeTruthy();
    fireEvent.click(within(panel).getByRole("button", { name: "Hide the findings list" }));
    expect(onToggle).toHaveBeenCalledTimes(1);
    rerender(<Findings findings={findings} onSelect={() => {}} onFix={() => {}} open={false} onToggle={onToggle} />);
    // Folded: the counts stay, the list goes.
    expect(within(panel).getByRole("heading").textContent).toMatch(/1 error/);
    expect(within(panel).queryByText(/Every finding is hidden/)).toBeNull();
    expect(within(panel).getByRole("button", { name: "Show the findings list" })).toBeTruthy();
  });

  it("says so when there is nothing to report", () => {
    render(<Findings findings={[]} onSelect={() => {}} onFix={() => {}} open onToggle={() => {}} />);
    expect(screen.getByText(/No findings/)).toBeTruthy();
  });
});

describe("EventPicker", () => {
  const open = () => fireEvent.click(screen.getByRole("button", { name: "Choose event types" }));

  it("shows the chosen events as short chips, each removable", () => {
    const onChange = vi.fn();
    render(<EventPicker catalog={catalog} events={["s3:ObjectCreated:*", "s3:LifecycleTransition"]} onChange={onChange} />);
    const chips = screen.getByRole("list", { name: "Chosen event types" });
    expect(within(chips).getAllByRole("listitem").map((li) => li.textContent)).toEqual(["Created:*", "LifecycleTransition"]);
    fireEvent.click(within(chips).getByRole("button", { name: "Remove s3:ObjectCreated:*" }));
    expect(onChange).toHaveBeenLastCalledWith(["s3:LifecycleTransition"]);
  });

  it("shows members covered by a checked wildcard as checked and disabled", () => {
    render(<EventPicker catalog={catalog} events={["s3:ObjectCreated:*"]} onChange={() => {}} />);
    open();
    const put = screen.getByLabelText("Put") as HTMLInputElement;
    expect(put.checked).toBe(true);
    expect(put.disabled).toBe(true);
  });

  it("searches the families, and checking a wildcard replaces its members; unknown events are offered for removal", () => {
    const onChange = vi.fn();
    render(
      <EventPicker
        catalog={catalog}
        events={["s3:ObjectCreated:Put", "s3:LifecycleTransition", "s3:Nope"]}
        onChange={onChange}
      />,
    );
    open();
    fireEvent.change(screen.getByLabelText("Search event types"), { target: { value: "post" } });
    expect(screen.queryByLabelText("s3:LifecycleTransition")).toBeNull();
    expect(screen.getByLabelText("Post")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Search event types"), { target: { value: "" } });
    fireEvent.click(screen.getByLabelText("s3:ObjectCreated:*"));
    expect(onChange).toHaveBeenLastCalledWith(["s3:LifecycleTransition", "s3:Nope", "s3:ObjectCreated:*"]);
    // Escape closes the popover (the rest of the window is inert while it is open).
    fireEvent.keyDown(screen.getByLabelText("Search event types"), { key: "Escape" });
    expect(screen.queryByLabelText("Search event types")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Remove" }));
    expect(onChange).toHaveBeenLastCalledWith(["s3:ObjectCreated:Put", "s3:LifecycleTransition"]);
  });
});

describe("Inspector", () => {
  const bucket: NodeView = {
    id: "photos",
    kind: "bucket",
    title: "acme-photos",
    details: [],
    x: 0,
    y: 0,
    props: { kind: "bucket", name: "acme-photos", region: "us-east-1", account: null },
    badge: null,
    owner: null,
    account: null,
    region: "us-east-1",
    destination: null,
  };

  it("sends a field when it is committed, with the other properties unchanged", () => {
    const onChange = vi.fn();
    render(<Inspector node={bucket} catalog={catalog} onChange={onChange} />);
    const region = screen.getByLabelText("Region");
    fireEvent.change(region, { target: { value: "eu-west-1" } });
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.keyDown(region, { key: "Enter" });
    expect(onChange).toHaveBeenCalledWith("photos", {
      kind: "bucket",
      name: "acme-photos",
      region: "eu-west-1",
      account: null,
    });
  });

  const queueNode: NodeView = {
    ...bucket,
    id: "buffer",
    kind: "queue",
    title: "clicks",
    props: {
      kind: "queue",
      arn: "arn:aws:sqs:us-east-1:123456789012:clicks",
      visibilityTimeout: null,
      deadLetterArn: null,
      maxReceiveCount: null,
      kmsMasterKeyId: null,
      batchSize: null,
      batchingWindow: null,
      maximumConcurrency: null,
      reportBatchItemFailures: false,
      enabled: true,
    },
  };

  it("a checkbox clicked before Rust answers a committed field keeps that field", () => {
    const onChange = vi.fn();
    render(<Inspector node={queueNode} catalog={catalog} onChange={onChange} />);
    const dlq = screen.getByLabelText("Dead-letter queue ARN");
    fireEvent.change(dlq, { target: { value: "arn:aws:sqs:us-east-1:123456789012:clicks-dlq" } });
    fireEvent.keyDown(dlq, { key: "Enter" });
    // No answer yet: the props are still the old ones.
    fireEvent.click(screen.getByLabelText("Report batch item failures"));
    expect(onChange).toHaveBeenLastCalledWith(
      "buffer",
      expect.objectContaining({
        deadLetterArn: "arn:aws:sqs:us-east-1:123456789012:clicks-dlq",
        reportBatchItemFailures: true,
      }),
    );
  });

  it("a field Rust refused stays on screen but is not sent with the next change", async () => {
    const onChange = vi.fn((_id: string, props: NodeUpdate) =>
      Promise.resolve(!("batchingWindow" in props && props.batchingWindow === "five")),
    );
    render(<Inspector node={queueNode} catalog={catalog} onChange={onChange} />);
    const window = screen.getByLabelText("Batching window (s)") as HTMLInputElement;
    fireEvent.change(window, { target: { value: "five" } });
    // Rust's refusal arrives (and its state settles) before the next click.
    await act(async () => {
      fireEvent.keyDown(window, { key: "Enter" });
    });
    fireEvent.click(screen.getByLabelText("Report batch item failures"));
    expect(onChange).toHaveBeenLastCalledWith(
      "buffer",
      expect.objectContaining({ batchingWindow: null, reportBatchItemFailures: true }),
    );
    expect(window.value).toBe("five");
  });

  it("says who manages a bucket outside Bucketwire", () => {
    render(<Inspector node={{ ...bucket, owner: "CloudFormation stack photos-prod" }} catalog={catalog} onChange={() => {}} />);
    expect(screen.getByRole("note").textContent).toMatch(
      /^Managed by CloudFormation stack photos-prod: its next deploy reverts what Apply writes here/,
    );
  });

  it("shows a foreign destination read-only", () => {
    render(
      <Inspector
        node={{ ...bucket, id: "photos/foreign/0", kind: "foreign", title: "queue audit", props: null }}
        catalog={catalog}
        onChange={() => {}}
      />,
    );
    expect(screen.getByText(/Read from the account/)).toBeTruthy();
    expect(screen.queryAllByRole("textbox")).toHaveLength(0);
  });
});

describe("Notices", () => {
  it("lets a finished action's notice go after a while, but not while it is pointed at, nor work in progress", () => {
    vi.useFakeTimers();
    try {
      const onDismiss = vi.fn();
      const { rerender } = render(<Notices notice="Arranging 250 bucket(s) by region…" exported={[]} onDismiss={onDismiss} />);
      act(() => void vi.advanceTimersByTime(NOTICE_STAYS * 3));
      expect(onDismiss).not.toHaveBeenCalled();

      rerender(<Notices notice="Imported 250 bucket(s)" exported={[]} onDismiss={onDismiss} />);
      const notices = screen.getByRole("status", { name: "Notice" }).parentElement as HTMLElement;
      fireEvent.pointerEnter(notices);
      act(() => void vi.advanceTimersByTime(NOTICE_STAYS * 2));
      expect(onDismiss).not.toHaveBeenCalled();
      fireEvent.pointerLeave(notices);
      act(() => void vi.advanceTimersByTime(NOTICE_STAYS - 1));
      expect(onDismiss).not.toHaveBeenCalled();
      act(() => void vi.advanceTimersByTime(1));
      expect(onDismiss).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
