import { useSignal } from "@preact/signals";
import { api } from "../api/client";
import { describeError } from "../api/errors";
import { LOCALE_NAMES, LOCALES, type Locale, locale, setLocale, t } from "../i18n";
import { me } from "../session";
import { useToast } from "./toast";

/**
 * The dashboard's language, in the top bar. The choice applies at once and is saved on the user
 * (`PATCH /users/:id {locale}`), so it follows them to other browsers; an API-key session keeps
 * it for this tab only.
 */
export function LanguagePicker() {
  const notify = useToast();
  const busy = useSignal(false);
  const choose = async (next: Locale) => {
    const before = locale.value;
    busy.value = true;
    try {
      await setLocale(next);
      const user = me.value?.user;
      if (user) {
        const saved = await api.users.update(user.id, { locale: next });
        if (me.value) me.value = { ...me.value, user: saved };
      }
    } catch (error) {
      await setLocale(before).catch(() => undefined);
      notify(t("app.languageFailed", { message: describeError(error) }), "error");
    } finally {
      busy.value = false;
    }
  };
  return (
    <label class="language-picker">
      <span class="visually-hidden">{t("app.languageLabel")}</span>
      <select
        value={locale.value}
        disabled={busy.value}
        data-testid="language-picker"
        onChange={(event) => void choose(event.currentTarget.value as Locale)}
      >
        {LOCALES.map((code) => (
          <option key={code} value={code} lang={code}>
            {LOCALE_NAMES[code]}
          </option>
        ))}
      </select>
    </label>
  );
}
