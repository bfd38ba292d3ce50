import { useSignal } from "@preact/signals";
import type { TargetedEvent } from "preact";
import { issueStillApplies } from "../../../workers/contract/messages";
// Loaded with every form and banner: validation messages in the dashboard's language.
import "../components/issue-message";
import { ApiError, fieldIssues, type Issue } from "../api/errors";

type Values = Record<string, string>;

interface FormOptions<T extends Values> {
  /** Show a 409 (duplicate) beside this field rather than in the banner. */
  conflictField?: keyof T & string;
}

/**
 * A field's message after its value changed: kept while the server's issue still holds for the new
 * value (an address still without "@"), gone as soon as it is fixed; a message with no issue
 * behind it (a 409, a local check) goes with the first edit.
 */
export function afterEdit(message: string | undefined, issue: Issue | undefined, value: string) {
  if (message === undefined) return undefined;
  return issue?.code && issueStillApplies({ ...issue, code: issue.code }, value) ? message : undefined;
}

/**
 * Form state as signals, plus the one submit path every form shares: server validation issues
 * land beside their fields; anything that fits no field goes to the form's error banner. A
 * field's message clears as soon as the field is fixed.
 */
export function useForm<T extends Values>(prefix: string, initial: T, options: FormOptions<T> = {}) {
  const values = useSignal<T>(initial);
  const errors = useSignal<Partial<Record<keyof T, string>>>({});
  const issues = useSignal<Record<string, Issue>>({});
  const failure = useSignal<unknown>(null);
  const busy = useSignal(false);

  const field = (name: keyof T & string) => ({
    id: `${prefix}-${name}`,
    value: values.value[name] ?? "",
    error: errors.value[name],
    onInput: (value: string) => {
      values.value = { ...values.value, [name]: value };
      const kept = afterEdit(errors.value[name], issues.value[name], value);
      if (kept !== errors.value[name]) errors.value = { ...errors.value, [name]: kept };
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
      issues.value = fieldIssues(caught);
      const byField = pickKnown(
        Object.fromEntries(Object.entries(issues.value).map(([key, issue]) => [key, issue.message])),
        values.value,
      );
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
    issues.value = {};
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
