/**
 * The baseline for `npm run bench tracking`: a Worker that does nothing but answer, served by
 * `wrangler dev` exactly like Edgepost, so the tracking endpoints' figures are read against what
 * the runtime itself costs per request on this machine.
 */
export default {
  fetch: () => new Response(null, { status: 204 }),
} satisfies ExportedHandler;
