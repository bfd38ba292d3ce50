// Lets Node import the Worker's modules to read its OpenAPI document: `cloudflare:sockets` (used
// only when mail is sent) becomes a stub that refuses to connect.
const STUB =
  "data:text/javascript,export function connect(){throw new Error('cloudflare:sockets is only in workerd')}";

export async function resolve(specifier, context, next) {
  if (specifier === "cloudflare:sockets") return { url: STUB, shortCircuit: true };
  return next(specifier, context);
}
