import { applyMigrations } from "./lib/migrate";

/** `npm run db:migrate`: applies pending migrations to DATABASE_URL. */
const url = process.env.DATABASE_URL;
if (!url) {
  console.error(
    "DATABASE_URL is not set. Example: DATABASE_URL=postgres://user@host:5432/db npm run db:migrate",
  );
  process.exit(2);
}
await applyMigrations(url);
console.log(`Migrations applied to ${new URL(url).host}${new URL(url).pathname}`);
