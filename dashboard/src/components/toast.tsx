import { type Signal, useSignal } from "@preact/signals";
import { type ComponentChildren, createContext } from "preact";
import { useContext, useMemo } from "preact/hooks";

interface Toast {
  id: number;
  message: string;
  tone: "success" | "error";
}

type Notify = (message: string, tone?: Toast["tone"]) => void;

const ToastContext = createContext<Notify>(() => undefined);

/** Short confirmations ("User created") that fade on their own; errors stay in banners. */
export function ToastProvider({ children }: { children: ComponentChildren }) {
  const toasts = useSignal<Toast[]>([]);
  const notify = useMemo(() => makeNotify(toasts), [toasts]);
  return (
    <ToastContext.Provider value={notify}>
      {children}
      <div class="toasts" role="status" aria-live="polite">
        {toasts.value.map((toast) => (
          // i18n-ignore: class names
          <div key={toast.id} class={`toast toast--${toast.tone}`}>
            {toast.message}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): Notify {
  return useContext(ToastContext);
}

function makeNotify(toasts: Signal<Toast[]>): Notify {
  let next = 1;
  return (message, tone = "success") => {
    const id = next++;
    toasts.value = [...toasts.value, { id, message, tone }];
    setTimeout(() => {
      toasts.value = toasts.value.filter((toast) => toast.id !== id);
    }, 4000);
  };
}
