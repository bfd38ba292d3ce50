import { sql } from "drizzle-orm";
import { boolean, check, index, pgEnum, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { at, id, jsonValue, timestamps } from "./columns";
import { LIST_LANGUAGES, type ListLanguage } from "./languages";
import { subscribers } from "./subscribers";

export const LIST_OPT_INS = ["single", "double"] as const;
export type ListOptIn = (typeof LIST_OPT_INS)[number];
export const listOptInEnum = pgEnum("list_opt_in", LIST_OPT_INS);

export const LIST_VISIBILITIES = ["public", "private"] as const;
export type ListVisibility = (typeof LIST_VISIBILITIES)[number];
export const listVisibilityEnum = pgEnum("list_visibility", LIST_VISIBILITIES);

export const MEMBERSHIP_STATUSES = ["unconfirmed", "confirmed", "unsubscribed"] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];
export const membershipStatusEnum = pgEnum("membership_status", MEMBERSHIP_STATUSES);

export const CONSENT_SOURCES = ["api", "import", "form", "admin", "workflow"] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];
export const consentSourceEnum = pgEnum("consent_source", CONSENT_SOURCES);

/** Languages of the public pages (`<html lang>`); a list may name one for its signup page. */
export { LIST_LANGUAGES, type ListLanguage };

/** Whether the hosted signup form asks for the name. */
export const NAME_FIELD_MODES = ["hidden", "optional", "required"] as const;

/**
 * The hosted signup page of a public list (`GET /subscribe/:listId`) and its embed snippet: which
 * custom fields it asks for and its texts. Null texts fall back to the list's name and description.
 */
export interface ListFormConfig {
  title: string | null;
  intro: string | null;
  buttonLabel: string | null;
  successMessage: string | null;
  name: (typeof NAME_FIELD_MODES)[number];
  fields: { key: string; required: boolean }[];
}

/** Mailing lists. Public lists appear on subscription forms and the preferences page. */
export const lists = pgTable(
  "lists",
  {
    id: id(),
    name: text("name").notNull(),
    description: text("description"),
    /** `double` lists send a confirmation and only mail `confirmed` members. */
    optIn: listOptInEnum("opt_in").notNull().default("single"),
    visibility: listVisibilityEnum("visibility").notNull().default("private"),
    /**
     * Set when a list with members is deleted: its consent records stay, it takes no one new and
     * leaves the pickers. An empty list is deleted for real.
     */
    archivedAt: at("archived_at"),
    /** The language of its public pages (`<html lang>`); null: the visitor's Accept-Language. */
    language: text("language").$type<ListLanguage>(),
    /** The signup form's configuration; null: the defaults (email and name, the list's texts). */
    form: jsonValue("form").$type<ListFormConfig | null>(),
    ...timestamps,
  },
  (t) => [
    check(
      "lists_language_check",
      sql`${t.language} in (${sql.raw(LIST_LANGUAGES.map((l) => `'${l}'`).join(", "))})`,
    ),
  ],
);

/** A subscriber on a list, with the consent record: how, when and from where they joined. */
export const listMemberships = pgTable(
  "list_memberships",
  {
    listId: uuid("list_id")
      .notNull()
      .references(() => lists.id, { onDelete: "cascade" }),
    subscriberId: uuid("subscriber_id")
      .notNull()
      .references(() => subscribers.id, { onDelete: "cascade" }),
    status: membershipStatusEnum("status").notNull(),
    source: consentSourceEnum("source").notNull(),
    /** Address and client that gave consent (form, confirmation click); null when not web-borne. */
    ip: text("ip"),
    userAgent: text("user_agent"),
    consentedAt: at("consented_at").notNull().defaultNow(),
    confirmedAt: at("confirmed_at"),
    unsubscribedAt: at("unsubscribed_at"),
    /** Set by an import that asked for it: this join starts the list's `list_joined` workflows. */
    triggerWorkflows: boolean("trigger_workflows").notNull().default(false),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.listId, t.subscriberId] }),
    /** Audience freeze and list counts read this index alone (index-only scans). */
    index("list_memberships_list_status_idx").on(t.listId, t.status, t.subscriberId),
    index("list_memberships_subscriber_idx").on(t.subscriberId),
  ],
);
