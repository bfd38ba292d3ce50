// The SDK generator (@hey-api/openapi-ts) drives TypeScript's compiler API, which TypeScript 7
// (the repo's `typescript`, a native compiler) no longer has: its imports of `typescript` get
// TypeScript 6 (the `typescript-6` alias in devDependencies) instead.
export async function resolve(specifier, context, next) {
  if (specifier === "typescript" && context.parentURL?.includes("/@hey-api/")) {
    return next("typescript-6", context);
  }
  return next(specifier, context);
}
