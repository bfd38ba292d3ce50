import type { IssueFacts } from "../../../workers/contract/messages";

/**
 * One validation issue as the API puts it in `error.details` on a 400: the path, people's words,
 * and the facts (`code`, bounds, format) a field is re-checked against once edited.
 */
export interface Issue extends Partial<Omit<IssueFacts, "path">> {
  path: (string | number)[];
  message: string;
}

interface ApiErrorInit {
  status: number;
  code: string;
  message: string;
  requestId?: string | null;
  details?: unknown;
  retryAfter?: number | null;
}

/** Every failed API call throws this: the server's error envelope plus the HTTP status. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | null;
  readonly details: unknown;
  /** Seconds from a 429's `Retry-After` header, when present. */
  readonly retryAfter: number | null;

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.name = "ApiError";
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId ?? null;
    this.details = init.details;
    this.retryAfter = init.retryAfter ?? null;
  }

  /** The validation issues of a 400, or an empty list; their messages in the dashboard's language. */
  get issues(): Issue[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.filter(isIssue).map((issue) => ({ ...issue, message: issueWords(issue) }));
  }
}

/**
 * An issue's message in the dashboard's language. The API layer knows no languages: the words
 * are set by `components/issue-message.ts` when the dashboard loads it; until then (and in unit
 * tests) the server's English stays.
 */
let issueWords: (issue: Issue) => string = (issue) => issue.message;

export function setIssueWords(words: (issue: Issue) => string): void {
  issueWords = words;
}

function isIssue(value: unknown): value is Issue {
  if (typeof value !== "object" || value === null) return false;
  const { path, message } = value as Record<string, unknown>;
  return Array.isArray(path) && typeof message === "string";
}

/** Field name (the issue's first path segment) -> first message, for showing beside each input. */
export function fieldErrors(error: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(fieldIssues(error)).map(([key, issue]) => [key, issue.message]));
}

/** Field name (the issue's first path segment) -> its first issue, facts included. */
export function fieldIssues(error: unknown): Record<string, Issue> {
  const out: Record<string, Issue> = {};
  if (!(error instanceof ApiError)) return out;
  for (const issue of error.issues) {
    const key = issue.path[0];
    if (key !== undefined && !(String(key) in out)) out[String(key)] = issue;
  }
  return out;
}

/**
 * The words for a failure that brings none, in the dashboard's language: `http.ts` sets them, so
 * this module stays free of the catalogues (unit tests outside the dashboard's build import it).
 */
export const unknownError = { text: (): string => "" };

/** A message for people: server messages as they are, anything else made generic. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return unknownError.text();
}

/**
 * Messages of the issues under one object of the body, by the key below it: a 400 on
 * `{fields: {age: "x"}}` has the path `["fields", "age"]`, shown beside the "age" input.
 */
export function nestedErrors(error: unknown, parent: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof ApiError)) return out;
  for (const issue of error.issues) {
    const [head, key] = issue.path;
    if (head === parent && key !== undefined && !(String(key) in out)) out[String(key)] = issue.message;
  }
  return out;
}
