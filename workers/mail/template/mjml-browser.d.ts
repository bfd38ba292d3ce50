declare module "mjml-browser" {
  interface MjmlError {
    line: number;
    message: string;
    tagName: string;
    formattedMessage: string;
  }
  interface MjmlOptions {
    validationLevel?: "strict" | "soft" | "skip";
    keepComments?: boolean;
    minify?: boolean;
    beautify?: boolean;
  }
  export default function mjml2html(
    mjml: string,
    options?: MjmlOptions,
  ): Promise<{ html: string; errors: MjmlError[] }>;
}

/** MJML's Node package (dev only: the bench's baseline). */
declare module "mjml" {
  export default function mjml2html(
    mjml: string,
    options?: Record<string, unknown>,
  ): Promise<{ html: string }>;
}
