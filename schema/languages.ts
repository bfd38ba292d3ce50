/**
 * The languages Edgepost speaks: a list's public pages, a user's dashboard, system mail. A leaf
 * module (no drizzle) so the dashboard can import it through the contract.
 */
export const LIST_LANGUAGES = ["en", "de", "fr", "es", "pt-BR", "ja"] as const;
export type ListLanguage = (typeof LIST_LANGUAGES)[number];
