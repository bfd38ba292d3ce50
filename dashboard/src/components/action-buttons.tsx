/** One button of a row of actions on a record. */
export interface Action {
  /** Stable across renders, as buttons come and go with the record's state. */
  key: string;
  label: string;
  onClick: () => void;
  /** "primary" for the likely next step; "danger-quiet" for one that removes or stops (it asks first). */
  tone?: "primary" | "danger-quiet";
  /** More classes, e.g. one that pushes the button to the end of the row. */
  class?: string;
}

/** The buttons of an action row, all disabled while one of them is at work (a second click would repeat it). */
export function ActionButtons({ actions, disabled }: { actions: readonly Action[]; disabled: boolean }) {
  return (
    <>
      {actions.map((action) => (
        <button
          key={action.key}
          type="button"
          class={["button", action.tone && `button--${action.tone}`, action.class].filter(Boolean).join(" ")}
          disabled={disabled}
          onClick={action.onClick}
        >
          {action.label}
        </button>
      ))}
    </>
  );
}
