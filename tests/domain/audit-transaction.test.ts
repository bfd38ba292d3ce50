import { count, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { auditLogs } from "../../schema/audit";
import { users } from "../../schema/users";
import type { Actor } from "../../workers/domain/actor";
import { createUser } from "../../workers/domain/users";
import { openDb } from "../../workers/lib/db";
import { stack, uniqueEmail } from "../support/api";

const conn = openDb(stack().databaseUrl);
afterAll(() => conn.close());

const actor: Actor = {
  type: "system",
  id: null,
  label: "domain test",
  role: "owner",
  ip: null,
  userAgent: null,
  requestId: null,
};
const input = (email: string) => ({ email, name: "T", role: "analyst" as const, password: "long enough pw" });
const usersWith = async (email: string) =>
  (await conn.db.select({ n: count() }).from(users).where(eq(users.email, email)))[0]?.n;
const auditFor = async (email: string) =>
  (await conn.db.select().from(auditLogs).where(eq(auditLogs.actorLabel, email))).length;

describe("audit rows share the transaction of their change", () => {
  it("commits the change and its audit row together", async () => {
    const email = uniqueEmail("commit");
    const { user } = await createUser(
      { db: conn.db, actor: { ...actor, label: email }, pepper: "p".repeat(32) },
      input(email),
    );
    expect(await usersWith(email)).toBe(1);
    const rows = await conn.db.select().from(auditLogs).where(eq(auditLogs.entityId, user.id));
    expect(rows.map((r) => r.action)).toEqual(["user.create"]);
  });

  it("rolls back the audit row when the surrounding transaction fails after the change", async () => {
    const email = uniqueEmail("rollback");
    await expect(
      conn.db.transaction(async (tx) => {
        await createUser({ db: tx, actor: { ...actor, label: email }, pepper: "p".repeat(32) }, input(email));
        throw new Error("fail after the change");
      }),
    ).rejects.toThrow("fail after the change");
    expect(await usersWith(email)).toBe(0);
    expect(await auditFor(email)).toBe(0);
  });

  it("rolls back the change when its audit row cannot be written", async () => {
    const email = uniqueEmail("auditfail");
    // An actor id that is not a uuid makes the audit insert fail inside the transaction.
    const broken: Actor = { ...actor, type: "user", id: "not-a-uuid", label: email };
    await expect(
      createUser({ db: conn.db, actor: broken, pepper: "p".repeat(32) }, input(email)),
    ).rejects.toThrow();
    expect(await usersWith(email)).toBe(0);
  });
});
