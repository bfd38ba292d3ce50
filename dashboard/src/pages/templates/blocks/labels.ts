import { t } from "../../../i18n";
import type { PaletteType } from "./model";

/**
 * A block type's name in the dashboard's language. Kept apart from `model.ts`, which the unit tests
 * load outside the browser.
 */
export function typeLabel(type: PaletteType): string {
  return t(`templates.blocks.types.${type}`);
}
