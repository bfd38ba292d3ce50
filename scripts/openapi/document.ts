import { register } from "node:module";

register("./workerd-shim.mjs", import.meta.url);

/**
 * The OpenAPI document exactly as the Worker serves it, built in Node without starting wrangler
 * (the same `createApp` and `openApiConfig`, with the workers.dev server in place of the
 * request's origin), for the lint, the SDK generator and their tests.
 */
export async function openApiDocument() {
  const { createApp } = await import("../../workers/api/app");
  const { openApiConfig, WORKERS_DEV_SERVER } = await import("../../workers/api/openapi");
  return createApp().getOpenAPI31Document(openApiConfig(WORKERS_DEV_SERVER));
}
