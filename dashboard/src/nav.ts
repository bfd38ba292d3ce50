/** Every area of the product, in sidebar order. `soon` marks one not built yet and says what it will do. */
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
  { label: null, items: [{ path: "/", label: "Overview" }] },
  {
    label: "Audience",
    items: [
      { path: "/subscribers", label: "Subscribers" },
      { path: "/lists", label: "Lists" },
      { path: "/segments", label: "Segments" },
      { path: "/imports", label: "Imports" },
      { path: "/fields", label: "Fields" },
      { path: "/suppressions", label: "Suppressions" },
    ],
  },
  {
    label: "Messaging",
    items: [
      {
        path: "/templates",
        label: "Templates",
      },
      { path: "/images", label: "Images" },
      {
        path: "/campaigns",
        label: "Campaigns",
      },
      {
        path: "/workflows",
        label: "Automations",
      },
      {
        path: "/analytics",
        label: "Analytics",
      },
    ],
  },
  {
    label: "Delivery",
    items: [
      {
        path: "/relays",
        label: "Relays",
      },
      {
        path: "/domains",
        label: "Sending domains",
      },
    ],
  },
  {
    label: "Settings",
    managersOnly: true,
    items: [
      { path: "/settings/general", label: "General" },
      { path: "/settings/users", label: "Users" },
      { path: "/settings/api-keys", label: "API keys" },
      { path: "/settings/audit-log", label: "Audit log" },
    ],
  },
];
