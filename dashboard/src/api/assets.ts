/**
 * The image library's client: list and delete through `call`, and the upload through
 * XMLHttpRequest, the one browser API that reports upload progress.
 */
import type { AssetView } from "../../../workers/contract/assets";
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
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

/** Why a file cannot be uploaded, in plain words, or null when it may be tried. */
export function imageProblem(file: File): string | null {
  if (file.type === "image/svg+xml" || /\.svg$/i.test(file.name)) {
    return `${file.name} is an SVG image. Many mail clients do not show SVG, so use PNG, JPEG, GIF or WebP.`;
  }
  if (file.type && !IMAGE_TYPES.includes(file.type)) {
    return `${file.name} is not a PNG, JPEG, GIF or WebP image.`;
  }
  if (file.size > MAX_IMAGE_BYTES) {
    return `${file.name} is ${formatBytes(file.size)}; images can be at most 5 MB. Make it smaller and try again.`;
  }
  if (file.size === 0) return `${file.name} is empty.`;
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
    if (token) xhr.setRequestHeader("authorization", `Bearer ${token}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () =>
      reject(
        new ApiError({ status: 0, code: "network_error", message: "Cannot reach the Edgepost server." }),
      );
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
    message: e?.message ?? `The upload failed (the server answered ${status}).`,
    requestId: e?.requestId ?? null,
  });
}
