/**
 * The image library's client: list and delete through `call`, and the upload through
 * XMLHttpRequest, the one browser API that reports upload progress.
 */
import type { AssetView } from "../../../workers/contract/assets";
import { formatNumber } from "../format";
import { t } from "../i18n";
import { accessToken, refreshSession } from "../session";
import { call, type Page, type PageParams } from "./client";
import { ApiError } from "./errors";

export type Asset = AssetView;

/** What the server accepts (it reads the type from the bytes; these checks only save a round trip). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];
export const IMAGE_ACCEPT = ".png,.jpg,.jpeg,.gif,.webp,image/png,image/jpeg,image/gif,image/webp";

export const assets = {
  list: (page: PageParams) => call<Page<Asset>>("GET", "/assets", { query: { ...page } }),
  remove: (id: string) => call<void>("DELETE", `/assets/${encodeURIComponent(id)}`),
  upload: uploadImage,
};

/** "2.4 MB", "310 KB", "900 bytes". */
export function formatBytes(n: number): string {
  const one = { minimumFractionDigits: 1, maximumFractionDigits: 1 };
  if (n >= 1024 * 1024) return t("api.megabytes", { size: formatNumber(n / 1024 / 1024, one) });
  if (n >= 1024)
    return t("api.kilobytes", { size: formatNumber(Math.round(n / 1024), { useGrouping: false }) });
  return t("api.bytes", { count: n, size: formatNumber(n) });
}

/** Why a file cannot be uploaded, in plain words, or null when it may be tried. */
export function imageProblem(file: File): string | null {
  if (file.type === "image/svg+xml" || /\.svg$/i.test(file.name)) {
    return t("api.image.svg", { name: file.name });
  }
  if (file.type && !IMAGE_TYPES.includes(file.type)) {
    return t("api.image.notImage", { name: file.name });
  }
  if (file.size > MAX_IMAGE_BYTES) {
    return t("api.image.tooLarge", { name: file.name, size: formatBytes(file.size) });
  }
  if (file.size === 0) return t("api.image.empty", { name: file.name });
  return null;
}

/** Uploads one image as multipart `file`; `onProgress` gets 0..1. Refreshes the session once on a 401. */
async function uploadImage(file: File, onProgress: (fraction: number) => void): Promise<Asset> {
  try {
    return await send(file, onProgress, accessToken.value);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401 || !(await refreshSession())) throw error;
    return send(file, onProgress, accessToken.value);
  }
}

function send(file: File, onProgress: (fraction: number) => void, token: string | null): Promise<Asset> {
  const form = new FormData();
  form.append("file", file, file.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/v1/assets");
    xhr.setRequestHeader("accept", "application/json");
    if (token) xhr.setRequestHeader("authorization", `Bearer ${token}`); // i18n-ignore
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () =>
      reject(new ApiError({ status: 0, code: "network_error", message: t("api.uploadUnreachable") }));
    xhr.onload = () => {
      const body = parse(xhr.responseText);
      if (xhr.status === 201) resolve(body as Asset);
      else reject(toError(xhr.status, body));
    };
    xhr.send(form);
  });
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toError(status: number, body: unknown): ApiError {
  const e = (body as { error?: { code?: string; message?: string; requestId?: string } } | undefined)?.error;
  return new ApiError({
    status,
    code: e?.code ?? "http_error",
    message: e?.message ?? t("api.uploadFailed", { status }),
    requestId: e?.requestId ?? null,
  });
}
