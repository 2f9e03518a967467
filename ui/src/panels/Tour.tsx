// The guided tour: five short steps over the open document, each pointing
// at one part of the window. Skippable; Help reopens it. It does not block
// the window, so the user can try each step as they read it.
import { useEffect, useState } from "react";

const STEPS: { target: string; title: string; text: string }[] = [
  {
    target: ".palette",
    title: "1 of 5 · Add what you need",
    text: "Drag a Bucket, a Filter and a Function onto the canvas (or press them). A filter says which events and keys trigger; a function is what S3 invokes.",
  },
  {
    target: ".canvas .react-flow",
    title: "2 of 5 · Wire them",
    text: "Drag from a card's right handle to the next card's left handle: bucket → filter → function. Connections S3 cannot have are refused, with the reason.",
  },
  {
    target: ".inspector",
    title: "3 of 5 · Say exactly what",
    text: "Select a card to edit it here: event types, the key's prefix and suffix, the function's ARN and role. What is wrong shows as you type.",
  },
  {
    target: ".findings",
    title: "4 of 5 · See what AWS would reject",
    text: "Every problem is listed here with why, and the cards it concerns get a badge. Click one to find it on the canvas; Fix applies the fix when there is one.",
  },
  {
    target: ".try-key",
    title: "5 of 5 · Try a key",
    text: "Type an object key such as uploads/cat.jpg: the path that fires lights up, with the exact event your function receives.",
  },
];

export function Tour({ onClose }: { onClose: () => void }) {
  const [step, setStep] = useState(0);
  const current = STEPS[step];
  useEffect(() => {
    const el = document.querySelector(current.target);
    el?.classList.add("tour-target");
    return () => el?.classList.remove("tour-target");
  }, [current.target]);
  const last = step === STEPS.length - 1;
  return (
    <div className="tour" role="dialog" aria-label="Tour" aria-live="polite">
      <h2>{current.title}</h2>
      <p>{current.text}</p>
      <div className="tour-buttons">
        <button type="button" onClick={onClose}>
          Skip the tour
        </button>
        {step > 0 && (
          <button type="button" onClick={() => setStep(step - 1)}>
            Back
          </button>
        )}
        <button type="button" onClick={() => (last ? onClose() : setStep(step + 1))}>
          {last ? "Done" : "Next"}
        </button>
      </div>
    </div>
  );
}
