import { useSignal } from "@preact/signals";
import type { TargetedEvent } from "preact";
import { ApiError, fieldErrors } from "../api/errors";

type Values = Record<string, string>;

interface FormOptions<T extends Values> {
  /** Show a 409 (duplicate) beside this field rather than in the banner. */
  conflictField?: keyof T & string;
}

/**
 * Form state as signals, plus the one submit path every form shares: server validation issues
 * land beside their fields; anything that fits no field goes to the form's error banner.
 */
export function useForm<T extends Values>(prefix: string, initial: T, options: FormOptions<T> = {}) {
  const values = useSignal<T>(initial);
  const errors = useSignal<Partial<Record<keyof T, string>>>({});
  const failure = useSignal<unknown>(null);
  const busy = useSignal(false);

  const field = (name: keyof T & string) => ({
    id: `${prefix}-${name}`,
    value: values.value[name] ?? "",
    error: errors.value[name],
    onInput: (value: string) => {
      values.value = { ...values.value, [name]: value };
    },
  });

  const submit = (action: (values: T) => Promise<void>) => async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy.value) return;
    busy.value = true;
    errors.value = {};
    failure.value = null;
    try {
      await action(values.value);
    } catch (caught) {
      const byField = pickKnown(fieldErrors(caught), values.value);
      if (caught instanceof ApiError && caught.status === 409 && options.conflictField) {
        byField[options.conflictField] = caught.message;
      }
      errors.value = byField;
      const unplaced =
        caught instanceof ApiError && caught.issues.some((issue) => !(String(issue.path[0]) in values.value));
      if (Object.keys(byField).length === 0 || unplaced) failure.value = caught;
    } finally {
      busy.value = false;
    }
  };

  const reset = () => {
    values.value = initial;
    errors.value = {};
    failure.value = null;
  };

  return { values, errors, failure, busy, field, submit, reset };
}

function pickKnown<T extends Values>(
  all: Record<string, string>,
  values: T,
): Partial<Record<keyof T, string>> {
  const known: Partial<Record<keyof T, string>> = {};
  for (const [name, message] of Object.entries(all)) {
    if (name in values) known[name as keyof T] = message;
  }
  return known;
}
