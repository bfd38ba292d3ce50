import { defineConfig } from "drizzle-kit";

/** `npm run db:generate` writes reviewed SQL migrations from the schema into schema/migrations. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./schema/index.ts",
  out: "./schema/migrations",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
  strict: true,
  verbose: true,
});
