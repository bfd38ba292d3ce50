/**
 * The last step of `npm test`: looks for every secret the suites had in play (each stack's keys,
 * passwords, API keys, relay passwords) in everything they captured (each stack's Worker output,
 * every answer the test helpers read), as is and encoded. Exits 1, naming file, line and context
 * with the secret masked, when one is found. `npx tsx scripts/scan-secrets.ts [dir]` reruns it.
 */
import { DEFAULT_CAPTURE_DIR, scanCaptures } from "./lib/secret-scan";

const dir = process.argv[2] ?? DEFAULT_CAPTURE_DIR;
const started = Date.now();
const { secrets, files, findings } = scanCaptures(dir);
const logs = files.filter((f) => f.startsWith("stack-")).length;
if (secrets === 0 || logs === 0) {
  console.error(
    `secret scan: nothing to check in ${dir} (${secrets} secrets, ${logs} Worker logs): capture is broken`,
  );
  process.exit(1);
}
for (const f of findings) {
  console.error(`LEAK ${f.kind} (${f.form}) in ${f.file}:${f.line}, ${f.context}:\n    ${f.excerpt}`);
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(
  `secret scan: ${secrets} secrets in ${files.length} files (${logs} Worker logs): ${findings.length} found, ${seconds} s`,
);
process.exit(findings.length > 0 ? 1 : 0);
