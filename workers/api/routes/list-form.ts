import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { ListLanguageSchema, UpdateListFormSchema } from "../../contract/audience";
import { IdParamSchema } from "../../contract/common";
import { mergeForm } from "../../domain/audience/list-form";
import { getList, type ListWithCounts } from "../../domain/audience/lists";
import { signupFormOf } from "../../domain/audience/subscriptions/signup-form";
import { getSettingsOf } from "../../domain/settings";
import type { HonoEnv } from "../../http/context";
import { authed, errors, jsonBody, jsonResponse } from "../../http/route";
import { subscriptionFormSnippet } from "../../public/form-snippet";
import { signupPage } from "../../public/signup-page";

export const listFormApi = new OpenAPIHono<HonoEnv>();

const ListFormSchema = z
  .object({
    html: z.string(),
    /** Set when the list is private: the public endpoint refuses it until it is made public. */
    warning: z.string().nullable(),
    /** The hosted signup page; null while the list is private or archived. */
    url: z.string().nullable(),
  })
  .openapi("ListForm", {
    example: {
      html: '<p>Hi {{ subscriber.name }}</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
      warning: null,
      url: "https://mail.example.com/media/0193b5a1-logo.png",
    },
  });

const ListFormPreviewSchema = ListFormSchema.extend({
  /** The hosted signup page as a visitor would get it, with the unsaved changes. */
  page: z.string(),
}).openapi("ListFormPreview", {
  example: {
    html: '<p>Hi {{ subscriber.name }}</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
    warning: null,
    url: "https://mail.example.com/media/0193b5a1-logo.png",
    page: '<!doctype html><html lang="en">…</html>',
  },
});

const PreviewBodySchema = z
  .object({ form: UpdateListFormSchema.optional(), language: ListLanguageSchema.nullable().optional() })
  .strict()
  .openapi("ListFormPreviewRequest", {
    example: { form: { title: "Join our newsletter", buttonLabel: "Subscribe" } },
  });

const appUrlOf = (env: { APP_URL?: string }, requestUrl: string) =>
  (env.APP_URL || new URL(requestUrl).origin).replace(/\/+$/, "");

function hostedUrl(appUrl: string, list: ListWithCounts): string | null {
  return list.visibility === "public" && !list.archivedAt ? `${appUrl}/subscribe/${list.id}` : null;
}

const warningOf = (list: ListWithCounts) =>
  list.visibility === "public"
    ? null
    : "This list is private: the form is refused until the list is made public.";

listFormApi.openapi(
  createRoute({
    method: "get",
    path: "/lists/{id}/form",
    operationId: "getListForm",
    tags: ["Lists"],
    summary: "The copy-paste HTML subscription form for a list, and its hosted signup page's address",
    ...authed("editor"),
    request: { params: IdParamSchema },
    responses: { 200: jsonResponse(ListFormSchema, "The form snippet"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    const list = await getList(c.var.db, c.req.valid("param").id);
    const appUrl = appUrlOf(c.env, c.req.url);
    const form = await signupFormOf(c.var.db, list);
    return c.json(
      { html: subscriptionFormSnippet(appUrl, form), warning: warningOf(list), url: hostedUrl(appUrl, list) },
      200,
    );
  },
);

listFormApi.openapi(
  createRoute({
    method: "post",
    path: "/lists/{id}/form/preview",
    operationId: "previewListForm",
    tags: ["Lists"],
    summary: "The hosted signup page and embed snippet with unsaved form changes (nothing is stored)",
    ...authed("editor"),
    request: { params: IdParamSchema, body: jsonBody(PreviewBodySchema) },
    responses: { 200: jsonResponse(ListFormPreviewSchema, "The preview"), ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    const list = await getList(c.var.db, c.req.valid("param").id);
    const body = c.req.valid("json");
    const appUrl = appUrlOf(c.env, c.req.url);
    const language = body.language !== undefined ? body.language : list.language;
    const form = await signupFormOf(c.var.db, {
      ...list,
      language,
      form: body.form ? mergeForm(list.form, body.form) : list.form,
    });
    const { brand, organizationName } = await getSettingsOf(c.var.db, ["brand", "organizationName"]);
    const theme = { brand, organizationName, lang: language ?? "en" };
    return c.json(
      {
        html: subscriptionFormSnippet(appUrl, form),
        warning: warningOf(list),
        url: hostedUrl(appUrl, list),
        page: signupPage(theme, form, `${appUrl}/subscribe`),
      },
      200,
    );
  },
);
