/**
 * A name that may be long (names go up to 200 characters): one line cut with an ellipsis, the
 * whole of it on hover, so a long name never pushes a table's columns off the screen.
 */
export function Truncated({ text, href }: { text: string; href?: string | undefined }) {
  return href ? (
    <a class="truncate" href={href} title={text}>
      {text}
    </a>
  ) : (
    <span class="truncate" title={text}>
      {text}
    </span>
  );
}
