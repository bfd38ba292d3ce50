import { useSignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";
import { useLocation } from "preact-iso";
import { t } from "../i18n";
import { NAV } from "../nav";
import { canManage, me, signOut } from "../session";
import { LanguagePicker } from "./language-picker";
import { RoleBadge } from "./role-badge";

/** The signed-in frame: sidebar with every area, top bar with the user and "Sign out". */
export function Layout({ children }: { children: ComponentChildren }) {
  const { path } = useLocation();
  const menuOpen = useSignal(false);

  // On small screens the sidebar is a drop-down menu; close it after each navigation.
  useEffect(() => {
    menuOpen.value = false;
  }, [path]);

  return (
    <div class="shell">
      <aside class="sidebar" data-open={menuOpen.value}>
        <div class="sidebar__top">
          <a class="brand" href="/">
            <span class="brand__mark" aria-hidden="true" />
            {/* i18n-ignore: the product's name */}
            Edgepost
          </a>
          <button
            type="button"
            class="menu-toggle"
            aria-expanded={menuOpen.value}
            aria-controls="sidebar-nav"
            onClick={() => {
              menuOpen.value = !menuOpen.value;
            }}
          >
            {t("app.menu")}
          </button>
        </div>
        <nav id="sidebar-nav" class="nav" aria-label={t("app.mainNav")}>
          {NAV.filter((group) => !group.managersOnly || canManage.value).map((group) => (
            <div key={group.label ?? "top"} class="nav__group">
              {group.label && <p class="nav__heading">{t(group.label)}</p>}
              <ul>
                {group.items.map((item) => (
                  <li key={item.path}>
                    <a href={item.path} aria-current={isActive(path, item.path) ? "page" : undefined}>
                      {t(item.label)}
                    </a>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
      </aside>
      <div class="main">
        <TopBar />
        <main class="content">{children}</main>
      </div>
    </div>
  );
}

function TopBar() {
  const current = me.value;
  const name = current?.user?.name ?? current?.apiKey?.name ?? t("app.signedIn");
  const leaving = useSignal(false);
  // Once the session is gone the app shows the sign-in page by itself.
  const leave = () => {
    leaving.value = true;
    void signOut();
  };

  return (
    <header class="topbar">
      <div class="topbar__user" data-testid="current-user">
        <span class="topbar__name">{name}</span>
        {current && <RoleBadge role={current.role} />}
      </div>
      <div class="topbar__actions">
        <LanguagePicker />
        <button type="button" class="button button--small" onClick={leave} disabled={leaving.value}>
          {leaving.value ? t("app.signingOut") : t("app.signOut")}
        </button>
      </div>
    </header>
  );
}

function isActive(current: string, target: string): boolean {
  return target === "/" ? current === "/" : current === target || current.startsWith(`${target}/`);
}
