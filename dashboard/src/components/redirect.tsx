import { useLayoutEffect } from "preact/hooks";
import { useLocation } from "preact-iso";

/** Replaces the current history entry with `to` and renders nothing. */
export function Redirect({ to }: { to: string }) {
  const { route } = useLocation();
  useLayoutEffect(() => route(to, true), [to]);
  return null;
}
