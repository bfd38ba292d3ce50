import { Page } from "./page";

interface ComingSoonProps {
  title: string;
  /** One sentence: what this part of Edgepost will do. */
  description: string;
}

/** An honest placeholder for an area that is planned but not built yet: no sample data. */
export function ComingSoon({ title, description }: ComingSoonProps) {
  return (
    <Page title={title}>
      <div class="card coming-soon">
        <span class="badge badge--muted coming-soon__badge">Coming in a later release</span>
        <p class="coming-soon__what">{description}</p>
        <p class="muted">{title} is not available yet: this part of Edgepost is coming in a later release.</p>
      </div>
    </Page>
  );
}
