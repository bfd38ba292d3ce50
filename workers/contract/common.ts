import { z } from "@hono/zod-openapi";
import { humanMessage, type IssueFacts } from "./messages";

/** Both bounds of a number schema, read from its checks, so a message can say "between 1 and 1000". */
function numberRange(schema: unknown): [number, number] | undefined {
  const checks = (schema as { _zod?: { def?: { checks?: { _zod: { def: Record<string, unknown> } }[] } } })
    ?._zod?.def?.checks;
  let min: number | undefined;
  let max: number | undefined;
  for (const check of checks ?? []) {
    const def = check._zod.def;
    if (def.check === "greater_than" && typeof def.value === "number") min = def.value;
    if (def.check === "less_than" && typeof def.value === "number") max = def.value;
  }
  return min !== undefined && max !== undefined ? [min, max] : undefined;
}

// Every schema's default words are people's words (a schema's own message still wins): set once,
// here, because every contract module imports this one.
z.config({
  customError: (issue) =>
    humanMessage({
      ...(issue as unknown as IssueFacts),
      range: numberRange((issue as { schema?: unknown }).schema),
    }),
});

/** The one error envelope every failing response uses. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "not_found" }),
      message: z.string(),
      requestId: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi("Error");

export const RoleSchema = z.enum(["owner", "admin", "editor", "analyst"]).openapi("Role");
export type Role = z.infer<typeof RoleSchema>;

export const IdParamSchema = z.object({
  id: z
    .string()
    .uuid()
    .openapi({ param: { name: "id", in: "path" } }),
});

/** `limit` (default 50, max 500) and an opaque `cursor` from the previous page. */
export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

/** `{data, nextCursor}` plus `total` where counting is cheap. */
export function pageOf<T extends z.ZodTypeAny>(item: T, name: string) {
  return z
    .object({
      data: z.array(item),
      nextCursor: z.string().nullable(),
      total: z.number().int().optional(),
    })
    .openapi(name);
}

export const OkSchema = z.object({ ok: z.literal(true) }).openapi("Ok", { example: { ok: true } });
