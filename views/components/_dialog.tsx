import type { PropsWithChildren } from "@kitajs/html";

/** sm: a short form or a confirmation · md: a form with a few fields or a list · lg: a palette. */
type DialogSize = "sm" | "md" | "lg";

const WIDTHS: Record<DialogSize, string> = {
  sm: "max-w-md",
  md: "max-w-lg",
  lg: "max-w-xl",
};

const DIALOG =
  "m-auto w-[calc(100%-2rem)] rounded-2xl border border-slate-200 bg-white p-0 text-slate-900 shadow-2xl " +
  "backdrop:bg-slate-950/50 dark:border-ink-700 dark:bg-ink-800 dark:text-slate-100";

type DialogProps = {
  id: string;
  size?: DialogSize;
  /** Placement only (e.g. a top margin for a palette): the look is the same for every dialog. */
  class?: string;
} & Omit<JSX.HtmlDialogTag, "class" | "id">;

/**
 * A native modal `<dialog>`, opened by a button with `commandfor` and `command="show-modal"`
 * (Invoker Commands, no script). Name it with `aria-labelledby` pointing at its DialogTitle.
 */
export function Dialog({
  size = "md",
  class: placement,
  children,
  ...attrs
}: PropsWithChildren<DialogProps>) {
  const className = `${DIALOG} ${WIDTHS[size]}${placement ? ` ${placement}` : ""}`;
  return (
    <dialog {...attrs} class={className}>
      {children}
    </dialog>
  );
}

/** The heading a dialog is named by. */
export function DialogTitle({ id, children }: PropsWithChildren<{ id: string }>) {
  return (
    <h2 id={id} class="text-lg font-semibold">
      {children}
    </h2>
  );
}

/** The row of buttons at the foot of a dialog: Cancel first in the markup, stacked under the action on a phone. */
export function DialogActions({ children }: PropsWithChildren) {
  return <div class="flex flex-col-reverse gap-2 pt-2 sm:flex-row sm:justify-end">{children}</div>;
}
