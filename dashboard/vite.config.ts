import { fileURLToPath } from "node:url";
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));
/** Where `wrangler dev` listens; the dev server forwards API calls there so cookies and CORS stay simple. */
const worker = "http://localhost:8787";

export default defineConfig({
  root,
  plugins: [preact()],
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: {
      "/api": worker,
      "/healthz": worker,
    },
  },
});
