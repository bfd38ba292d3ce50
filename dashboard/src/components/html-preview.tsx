import "./html-preview.css";

interface HtmlPreviewProps {
  /** The accessible name of the frame, e.g. "Preview of the HTML". */
  title: string;
  html: string;
  /** "mobile" narrows the frame to a phone's width; "desktop" fills the space. */
  width?: "desktop" | "mobile";
}

/**
 * Untrusted HTML (a rendered email) in a frame that may do nothing: `sandbox=""` blocks scripts,
 * forms, plugins, popups and top navigation, and gives the document an opaque origin of its own.
 */
export function HtmlPreview({ title, html, width = "desktop" }: HtmlPreviewProps) {
  return (
    // i18n-ignore: class names
    <div class={`html-preview html-preview--${width}`}>
      <iframe
        class="html-preview__frame"
        title={title}
        sandbox=""
        srcdoc={html}
        referrerpolicy="no-referrer"
      />
    </div>
  );
}
