import { beforeAll, describe, expect, it } from "vitest";
import { api, ownerLogin, stack, userWithRole } from "../support/api";
import { hostileTokens } from "../support/tokens";

type Role = "owner" | "admin" | "editor" | "analyst";
const ROLES: Role[] = ["owner", "admin", "editor", "analyst"];
const RANK: Record<Role, number> = { owner: 4, admin: 3, editor: 2, analyst: 1 };

interface Operation {
  method: string;
  path: string;
  minRole: Role | "public";
}

/** Every operation in the served OpenAPI document: the matrix follows the API as it grows. */
async function operations(): Promise<Operation[]> {
  const doc = (await api("GET", "/api/v1/openapi.json")).body as {
    paths: Record<string, Record<string, { "x-min-role"?: Role | "public" }>>;
  };
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!op["x-min-role"]) throw new Error(`${method.toUpperCase()} ${path} declares no x-min-role`);
      ops.push({ method: method.toUpperCase(), path, minRole: op["x-min-role"] });
    }
  }
  return ops;
}

/** A concrete URL for a templated path: unknown ids, so allowed calls end in 404, never harm. */
const concrete = (path: string) => `${path.replace(/\{[^}]+\}/g, "00000000-0000-7000-8000-000000000000")}`;
const call = (op: Operation, token?: string) =>
  api(op.method, concrete(op.path), {
    token,
    body: ["POST", "PUT", "PATCH"].includes(op.method) ? {} : undefined,
  });

const ops = await operations();
const authenticated = ops.filter((o) => o.minRole !== "public");

describe("role matrix", () => {
  const tokens: Record<string, string> = {};
  let hostile: Record<string, string> = {};

  beforeAll(async () => {
    const owner = await ownerLogin();
    for (const role of ROLES) {
      tokens[`${role} user`] = role === "owner" ? owner.accessToken : (await userWithRole(role)).accessToken;
      const key = await api("POST", "/api/v1/api-keys", {
        token: owner.accessToken,
        body: { name: `matrix ${role}`, role },
      });
      tokens[`${role} API key`] = key.body.key;
    }
    hostile = await hostileTokens(stack().secrets.JWT_SECRET!, owner.user.id);
  });

  it("covers the whole API, and every authenticated route is declared with a role", () => {
    expect(authenticated.length).toBeGreaterThanOrEqual(9);
    for (const path of ["/api/v1/users", "/api/v1/api-keys", "/api/v1/audit-logs", "/api/v1/me"]) {
      expect(authenticated.some((o) => o.path === path)).toBe(true);
    }
  });

  describe.each(authenticated)("$method $path (min $minRole)", (op) => {
    it("answers 401 without a token and with every bad token", async () => {
      expect((await call(op)).status).toBe(401);
      for (const [name, token] of Object.entries(hostile)) {
        const res = await call(op, token);
        expect(res.status, name).toBe(401);
        expect(res.body.error.code, name).toBe("unauthorized");
      }
    });

    it("answers 403 exactly for the roles below the minimum, for users and API keys", async () => {
      for (const role of ROLES) {
        for (const kind of ["user", "API key"]) {
          const res = await call(op, tokens[`${role} ${kind}`]);
          const allowed = op.minRole !== "public" && RANK[role] >= RANK[op.minRole];
          if (allowed) expect([401, 403], `${role} ${kind}: ${res.status}`).not.toContain(res.status);
          else expect(res.status, `${role} ${kind}`).toBe(403);
        }
      }
    });
  });
});
