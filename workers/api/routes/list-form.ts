import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { IdParamSchema } from "../../contract/common";
import { getList } from "../../domain/audience/lists";
import type { HonoEnv } from "../../http/context";
import { authed, errors, jsonResponse } from "../../http/route";
import { subscriptionFormSnippet } from "../../public/form-snippet";

export const listFormApi = new OpenAPIHono<HonoEnv>();

const ListFormSchema = z
  .object({
    html: z.string(),
    /** Set when the list is private: the public endpoint refuses it until it is made public. */
    warning: z.string().nullable(),
  })
  .openapi("ListForm");

listFormApi.openapi(
  createRoute({
    method: "get",
    path: "/lists/{id}/form",
    tags: ["Lists"],
    summary: "The copy-paste HTML subscription form for a list",
    ...authed("editor"),
    request: { params: IdParamSchema },
    responses: { 200: jsonResponse(ListFormSchema, "The form snippet"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    const list = await getList(c.var.db, c.req.valid("param").id);
    const appUrl = c.env.APP_URL || new URL(c.req.url).origin;
    return c.json(
      {
        html: subscriptionFormSnippet(appUrl, list),
        warning:
          list.visibility === "public"
            ? null
            : "This list is private: the form is refused until the list is made public.",
      },
      200,
    );
  },
);
