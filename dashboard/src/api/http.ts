import { t } from "../i18n";
import { ApiError, unknownError } from "./errors";

unknownError.text = () => t("api.somethingWrong");

const BASE = "/api/v1";

export type Method = "GET" | "POST" | "PATCH" | "DELETE";
export type Query = Record<string, string | number | undefined>;

export interface RequestOptions {
  body?: unknown;
  query?: Query;
  token?: string | null;
  /** A non-JSON body (a CSV file, say) sent as it is, streamed by the browser; replaces `body`. */
  raw?: { body: Blob; contentType: string };
  /** Resolve with the response body as a Blob (a file download) instead of parsed JSON. */
  blob?: boolean;
}

/**
 * One JSON call to the API. The response is trusted to match `T`: the types come from the API's
 * own zod schemas, and validating again here would pull zod into the bundle.
 */
export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.raw) headers["content-type"] = options.raw.contentType;
  if (options.token) headers.authorization = `Bearer ${options.token}`; // i18n-ignore

  let response: Response;
  try {
    response = await fetch(BASE + path + queryString(options.query), {
      method,
      headers,
      body: options.raw
        ? options.raw.body
        : options.body === undefined
          ? undefined
          : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError({
      status: 0,
      code: "network_error",
      message: t("api.unreachable"),
    });
  }
  if (options.blob && response.ok) return (await response.blob()) as T;
  const payload = await readJson(response);
  if (!response.ok) throw toApiError(response, payload);
  return payload as T;
}

function queryString(query: Query | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toApiError(response: Response, payload: unknown): ApiError {
  const envelope = (payload as { error?: Record<string, unknown> } | undefined)?.error;
  const retryAfter = Number.parseInt(response.headers.get("retry-after") ?? "", 10);
  return new ApiError({
    status: response.status,
    code: typeof envelope?.code === "string" ? envelope.code : "http_error",
    message:
      typeof envelope?.message === "string"
        ? envelope.message
        : t("api.serverAnswered", { status: `${response.status} ${response.statusText}`.trim() }),
    requestId: typeof envelope?.requestId === "string" ? envelope.requestId : null,
    details: envelope?.details,
    retryAfter: Number.isFinite(retryAfter) ? retryAfter : null,
  });
}
