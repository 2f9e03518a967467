// What an empty canvas offers: a template, an import from an account, or a
// file.
import type { TemplateView } from "../bindings";

type Props = {
  templates: TemplateView[];
  onTemplate: (id: string) => void;
  onOpen: () => void;
  /** Import from the current connection, or choose one first. */
  onImport: () => void;
};

export function StartScreen({ templates, onTemplate, onOpen, onImport }: Props) {
  return (
    <section className="start" aria-label="Start">
      <h2>Start from a template</h2>
      <ul>
        {templates.map((t) => (
          <li key={t.id}>
            <button type="button" onClick={() => onTemplate(t.id)}>
              <strong>{t.title}</strong>
              <span>{t.description}</span>
            </button>
          </li>
        ))}
      </ul>
      <p>
        or{" "}
        <button type="button" className="link" onClick={onImport}>
          import from an account
        </button>
        , or{" "}
        <button type="button" className="link" onClick={onOpen}>
          open a file
        </button>
        , or drag a Bucket from the palette.
      </p>
    </section>
  );
}
