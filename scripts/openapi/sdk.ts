import { mkdirSync, writeFileSync } from "node:fs";
import { register } from "node:module";
import { join, resolve } from "node:path";
import { openApiDocument } from "./document";

register("./typescript-6.mjs", import.meta.url);

/**
 * Writes `openapi.json` (the document as the Worker serves it, with the workers.dev server) and
 * the client generated from it by @hey-api/openapi-ts (`src/`: one function per operationId, the
 * types of every body and answer, the fetch client) into `dir`.
 */
export async function generateSdk(dir: string) {
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  const input = join(out, "openapi.json");
  writeFileSync(input, `${JSON.stringify(await openApiDocument(), null, 2)}\n`);
  const { createClient } = await import("@hey-api/openapi-ts");
  await createClient({
    input,
    output: { path: join(out, "src"), clean: true },
    // An error answer throws its envelope (`{error: {code, message, requestId}}`), so `data` is
    // always there; the base URL is the caller's (client.setConfig), not the document's template.
    plugins: [
      { name: "@hey-api/client-fetch", throwOnError: true, baseUrl: false },
      "@hey-api/typescript",
      "@hey-api/sdk",
    ],
    logs: { level: "silent" },
  });
}
