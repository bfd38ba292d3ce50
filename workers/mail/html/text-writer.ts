/**
 * Builds wrapped plain text from a stream of words, line-break requests and Liquid pieces. Breaks
 * are requested, not written: "at least n line ends before the next word", so nested blocks never
 * pile up blank lines. A Liquid tag (`{% if %}`) is zero-width: it is written after any pending
 * break and does not count as content, so a block inside `{% for %}` renders without doubling
 * the breaks around it.
 */
export class TextWriter {
  private readonly out: string[] = [];
  private lineLen = 0;
  private lineHasWord = false;
  /** Line ends written since the last word; -1 before the first word. */
  private newlines = -1;
  private wantBreaks = 0;
  private wantSpace = false;
  private word = "";
  private wordLen = 0;
  /** Written at the start of each line, and once instead of it (a list marker) when set. */
  private prefix = "";
  private firstPrefix: string | null = null;
  /** The visible text of the link being written, to compare with its URL. */
  private capture: string | null = null;

  constructor(private readonly width = 76) {}

  /** Flowing text: whitespace separates words and collapses. */
  text(s: string): void {
    const words = s.split(/[ \t\n\r\f]+/);
    for (let k = 0; k < words.length; k++) {
      if (k > 0) this.space();
      const w = words[k] ?? "";
      if (w) {
        this.word += w;
        this.wordLen += w.length;
        if (this.capture !== null) this.capture += w;
      }
    }
  }

  /** A Liquid output or other unbreakable piece, glued to the word around it. */
  atom(s: string): void {
    this.word += s;
    this.wordLen += s.length;
    if (this.capture !== null) this.capture += s;
  }

  /** A Liquid tag: written where it stands, taking no width and no part in break counting. */
  zeroWidth(s: string): void {
    if (this.word) {
      this.word += s;
      return;
    }
    this.flushBreaks();
    if (this.wantSpace && this.lineHasWord) {
      this.out.push(" ");
      this.lineLen++;
      this.wantSpace = false;
    }
    this.out.push(s);
  }

  /** Preformatted text: spaces kept, each line end written. */
  pre(s: string): void {
    const lines = s.split(/\r\n|\r|\n/);
    lines.forEach((line, k) => {
      if (k > 0) this.br();
      if (!line) return;
      this.endWord();
      this.flushBreaks();
      if (!this.lineHasWord) this.startLine();
      this.out.push(line);
      this.lineLen += line.length;
      this.lineHasWord = true;
      this.newlines = 0;
    });
  }

  /** A word boundary. */
  space(): void {
    this.endWord();
    if (this.capture !== null && !this.capture.endsWith(" ")) this.capture += " ";
    this.wantSpace = true;
  }

  /** At least `n` line ends (1: new line, 2: blank line) before the next word. */
  block(n: number): void {
    this.endWord();
    this.wantBreaks = Math.max(this.wantBreaks, n);
    this.wantSpace = false;
  }

  /** A hard line break (<br>): always written, so two of them make a blank line. */
  br(): void {
    this.endWord();
    this.flushBreaks();
    if (this.newlines < 0) return;
    this.out.push("\n");
    this.newlines++;
    this.lineLen = 0;
    this.lineHasWord = false;
    this.wantSpace = false;
  }

  /** Sets the continuation prefix (quotes, list indent) and an optional one-time first prefix. */
  setPrefix(prefix: string, first: string | null = null): void {
    this.endWord();
    this.prefix = prefix;
    this.firstPrefix = first;
  }

  /** Starts recording visible text (for a link). */
  startCapture(): void {
    this.capture = "";
  }

  /** Stops recording and returns the visible text since `startCapture`, trimmed. */
  endCapture(): string {
    const text = (this.capture ?? "").trim();
    this.capture = null;
    return text;
  }

  /** The finished text: no trailing spaces, at most one blank line in a row, no leading/trailing blank lines. */
  finish(): string {
    this.endWord();
    return this.out
      .join("")
      .replace(/[ \t]+$/gm, "")
      .replace(/\n{3,}/g, "\n\n")
      .replace(/^\n+|\n+$/g, "")
      .replace(/\u00a0/g, " ");
  }

  private endWord(): void {
    if (!this.word) return;
    this.flushBreaks();
    if (!this.lineHasWord) {
      this.startLine();
    } else if (this.wantSpace) {
      if (this.lineLen + 1 + this.wordLen > this.width) {
        this.out.push("\n");
        this.lineLen = 0;
        this.startLine();
      } else {
        this.out.push(" ");
        this.lineLen++;
      }
    }
    this.out.push(this.word);
    this.lineLen += this.wordLen;
    this.lineHasWord = true;
    this.newlines = 0;
    this.wantSpace = false;
    this.word = "";
    this.wordLen = 0;
  }

  private startLine(): void {
    const prefix = this.firstPrefix ?? this.prefix;
    this.firstPrefix = null;
    this.out.push(prefix);
    this.lineLen += prefix.length;
  }

  private flushBreaks(): void {
    if (this.wantBreaks === 0) return;
    if (this.newlines >= 0 && this.wantBreaks > this.newlines) {
      this.out.push("\n".repeat(this.wantBreaks - this.newlines));
      this.newlines = this.wantBreaks;
      this.lineLen = 0;
      this.lineHasWord = false;
    }
    this.wantBreaks = 0;
  }
}
