/**
 * `npm run openapi -- [FILE]`: writes the OpenAPI document the Worker serves (without starting
 * wrangler) to FILE, or prints it.
 */
import { writeFileSync } from "node:fs";
import { openApiDocument } from "./document";

const text = `${JSON.stringify(await openApiDocument(), null, 2)}\n`;
const file = process.argv[2];
if (file) writeFileSync(file, text);
else process.stdout.write(text);
