/**
 * `npm run sdk:generate`: regenerates the typed client in `sdk/` (`openapi.json` and `src/`) from
 * the OpenAPI document the Worker serves. Run it after changing a route or a contract schema;
 * `tests/unit/openapi-sdk.test.ts` fails while the committed client is stale. `npm run
 * sdk:generate -- DIR` writes elsewhere (that test's fresh copy).
 */
import { generateSdk } from "./openapi/sdk";

const dir = process.argv[2] ?? "sdk";
await generateSdk(dir);
console.log(`${dir}/: openapi.json and src/ regenerated`);
