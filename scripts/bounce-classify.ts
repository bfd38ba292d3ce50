// Operator command: classify bounce, complaint or other messages saved as files.
//   npm run bounce:classify -- FILE...
// Prints one JSON line per file. A file holding several messages (mbox) gets one line with the
// recipients of all of them and a `messages` count. A file that cannot be read gets a line with
// an `error` field; the others are still classified, and the exit code is then 1.

import { readFile } from "node:fs/promises";
import { classifyMailbox } from "../workers/bounce/mailbox";

const files = process.argv.slice(2).filter((a) => a !== "--");
if (files.length === 0) {
  console.error("usage: npm run bounce:classify -- FILE...");
  process.exit(2);
}

let failed = false;
for (const file of files) {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    failed = true;
    console.log(JSON.stringify({ file, error: err instanceof Error ? err.message : String(err) }));
    continue;
  }
  const { messages, ...result } = await classifyMailbox(bytes);
  console.log(JSON.stringify(messages > 1 ? { file, ...result, messages } : { file, ...result }));
}
process.exit(failed ? 1 : 0);
