import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";

interface AuthCardProps {
  title: string;
  intro: ComponentChildren;
  children: ComponentChildren;
}

/** The centred card the signed-out screens (first-run setup, sign-in) use. */
export function AuthCard({ title, intro, children }: AuthCardProps) {
  useEffect(() => {
    document.title = `${title} · Edgepost`; // i18n-ignore: the product name
  }, [title]);

  return (
    <main class="auth">
      <div class="auth__card card">
        <p class="brand brand--dark">
          <span class="brand__mark" aria-hidden="true" />
          {/* i18n-ignore */}
          Edgepost
        </p>
        <h1>{title}</h1>
        <p class="muted">{intro}</p>
        {children}
      </div>
    </main>
  );
}
