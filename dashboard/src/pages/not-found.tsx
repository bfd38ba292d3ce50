import { Page } from "../components/page";

export function NotFoundPage() {
  return (
    <Page title="Page not found">
      <div class="card">
        <p>
          There is nothing at this address. Use the menu to find your way, or go to the{" "}
          <a href="/">overview</a>.
        </p>
      </div>
    </Page>
  );
}
