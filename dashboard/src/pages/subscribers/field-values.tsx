import type { Field } from "../../api/audience";
import { Field as Input } from "../../components/field";
import { formatDateTime } from "../../format";
import { t } from "../../i18n";

/** A stored custom field value as the text an input holds ("" for none). */
export function toInputText(field: Field, value: unknown): string {
  if (value === null || value === undefined) return "";
  if (field.type === "boolean") return value === true ? "true" : value === false ? "false" : String(value);
  // A date input holds YYYY-MM-DD; values stored with a time show their (UTC) day.
  if (field.type === "date" && typeof value === "string") return value.slice(0, 10);
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * What an input's text means for the API: null when empty, numbers and yes/no as JSON values.
 * Text that is not a number is sent as it is, so the server's message explains the problem.
 */
export function fromInputText(field: Field, text: string): unknown {
  if (text.trim() === "") return null;
  switch (field.type) {
    case "number": {
      const n = Number(text);
      return Number.isFinite(n) ? n : text;
    }
    case "boolean":
      return text === "true" ? true : text === "false" ? false : text;
    default:
      return text;
  }
}

/** A custom field value for reading, in a table cell or a profile. */
export function formatFieldValue(field: Field, value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (field.type === "boolean")
    return value === true ? t("common.yes") : value === false ? t("common.no") : String(value);
  if (field.type === "date" && typeof value === "string") {
    return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : formatDateTime(value);
  }
  return typeof value === "string" ? value : JSON.stringify(value);
}

const yesNo = () => [
  { value: "", label: "—" },
  { value: "true", label: t("common.yes") },
  { value: "false", label: t("common.no") },
];

interface FieldInputProps {
  /** Prefix of the input ids, unique on the page. */
  idPrefix: string;
  field: Field;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  disabled?: boolean;
}

/** The input that fits a custom field's type: text, number, date, yes/no or one of the options. */
export function FieldInput({ idPrefix, field, value, onInput, error, disabled }: FieldInputProps) {
  const common = { id: `${idPrefix}-${field.key}`, label: field.label, value, onInput, error, disabled };
  switch (field.type) {
    case "number":
      return <Input {...common} type="number" />;
    case "date":
      return <Input {...common} type="date" />;
    case "boolean":
      return <Input {...common} options={yesNo()} />;
    case "select":
      return (
        <Input
          {...common}
          options={[
            { value: "", label: "—" },
            ...(field.options ?? []).map((option) => ({ value: option, label: option })),
          ]}
        />
      );
    default:
      return <Input {...common} />;
  }
}
