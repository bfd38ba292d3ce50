import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";

interface PageProps {
  title: string;
  /** One line under the heading saying what the page is for. */
  intro?: ComponentChildren;
  /** Buttons on the right of the heading. */
  actions?: ComponentChildren;
  children: ComponentChildren;
}

/** The frame every page shares: one h1, the browser tab title, optional header actions. */
export function Page({ title, intro, actions, children }: PageProps) {
  useEffect(() => {
    document.title = `${title} · Edgepost`; // i18n-ignore: the product name
  }, [title]);

  return (
    <section class="page">
      <header class="page__header">
        <div>
          <h1>{title}</h1>
          {intro && <p class="page__intro">{intro}</p>}
        </div>
        {actions && <div class="page__actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}
