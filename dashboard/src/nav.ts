/**
 * Every area of the product, in sidebar order. Labels are catalogue keys (`nav.*`); `soon` marks an
 * area not built yet and is the key of what it will do.
 */
export interface NavItem {
  path: string;
  label: string;
  soon?: string;
}

export interface NavGroup {
  label: string | null;
  /** Only owners and admins see (and may use) this group. */
  managersOnly?: boolean;
  items: NavItem[];
}

export const NAV: NavGroup[] = [
  { label: null, items: [{ path: "/", label: "nav.overview" }] },
  {
    label: "nav.audience",
    items: [
      { path: "/subscribers", label: "nav.subscribers" },
      { path: "/lists", label: "nav.lists" },
      { path: "/segments", label: "nav.segments" },
      { path: "/imports", label: "nav.imports" },
      { path: "/fields", label: "nav.fields" },
      { path: "/suppressions", label: "nav.suppressions" },
    ],
  },
  {
    label: "nav.messaging",
    items: [
      {
        path: "/templates",
        label: "nav.templates",
      },
      { path: "/images", label: "nav.images" },
      {
        path: "/campaigns",
        label: "nav.campaigns",
      },
      {
        path: "/workflows",
        label: "nav.automations",
      },
      {
        path: "/analytics",
        label: "nav.analytics",
      },
    ],
  },
  {
    label: "nav.delivery",
    items: [
      {
        path: "/relays",
        label: "nav.relays",
      },
      {
        path: "/domains",
        label: "nav.domains",
      },
    ],
  },
  {
    label: "nav.settings",
    managersOnly: true,
    items: [
      { path: "/settings/general", label: "nav.general" },
      { path: "/settings/users", label: "nav.users" },
      { path: "/settings/api-keys", label: "nav.apiKeys" },
      { path: "/settings/webhooks", label: "nav.webhooks" },
      { path: "/settings/audit-log", label: "nav.auditLog" },
    ],
  },
];
