import type { PropsWithChildren } from "@kitajs/html";

/**
 * What a button does, by how loud it is: `primary` for the one main action of a view, `secondary`
 * beside it, `danger` to confirm a destructive action, `danger-secondary` to start one,
 * `ghost` for toolbar and close buttons, `ghost-danger` for Stop, `ghost-success` for Run,
 * `link` for text links.
 */
export type ButtonVariant =
  | "primary"
  | "secondary"
  | "danger"
  | "danger-secondary"
  | "ghost"
  | "ghost-danger"
  | "ghost-success"
  | "link";

/** xs: inside panels and lists · sm: toolbars · md: rows, headers and dialogs · lg: page actions · xl: forms and heroes. */
export type ButtonSize = "xs" | "sm" | "md" | "lg" | "xl";

const BASE = "inline-flex items-center justify-center whitespace-nowrap transition";
const BUSY = "disabled:cursor-wait disabled:opacity-80";
const OFF = "disabled:opacity-60 aria-disabled:pointer-events-none aria-disabled:opacity-50";

const VARIANTS: Record<ButtonVariant, string> = {
  primary: `bg-aura-600 font-medium text-white shadow-sm hover:bg-aura-700 ${BUSY}`,
  secondary: `border border-slate-300 font-medium hover:bg-slate-50 dark:border-ink-700 dark:hover:bg-ink-700 ${OFF}`,
  danger: `bg-red-600 font-medium text-white shadow-sm hover:bg-red-700 ${BUSY}`,
  "danger-secondary": `border border-red-300 font-medium text-red-700 hover:bg-red-50 dark:border-red-900 dark:text-red-300 dark:hover:bg-red-950/60 ${OFF}`,
  ghost: `text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-300 dark:hover:bg-ink-700 dark:hover:text-white ${OFF}`,
  "ghost-danger": `font-medium text-red-700 hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-950/60 ${OFF}`,
  "ghost-success": `font-medium text-emerald-700 hover:bg-emerald-50 dark:text-emerald-400 dark:hover:bg-ink-700 ${OFF}`,
  link: "text-aura-700 underline-offset-2 hover:underline dark:text-aura-400",
};

const SIZES: Record<ButtonSize, string> = {
  xs: "gap-1 rounded-md px-2 py-1 text-xs",
  sm: "gap-1 rounded-md px-2 py-1 text-sm",
  md: "gap-1.5 rounded-md px-3 py-1.5 text-sm",
  lg: "gap-1.5 rounded-lg px-3.5 py-2 text-sm",
  xl: "gap-2 rounded-lg px-4 py-2.5",
};

/** The classes of a button (or a link drawn as one); `link` takes no size, as it sits in running text. */
export function buttonClass(variant: ButtonVariant = "secondary", size: ButtonSize = "md"): string {
  if (variant === "link") return VARIANTS.link;
  return `${BASE} ${SIZES[size]} ${VARIANTS[variant]}`;
}

/** The classes of a text link. */
export const LINK = VARIANTS.link;

/** A link in a navigation bar (pages, periods); `aria-current="page"` marks the one being shown. */
export const NAV_ITEM =
  "rounded-md px-2.5 py-1.5 text-slate-600 hover:bg-slate-100 hover:text-slate-900 aria-[current=page]:bg-aura-50 aria-[current=page]:font-medium aria-[current=page]:text-aura-700 dark:text-slate-300 dark:hover:bg-ink-700 dark:hover:text-white dark:aria-[current=page]:bg-ink-700 dark:aria-[current=page]:text-aura-400";

type ButtonProps = {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Layout only (width, margin, position): the look comes from the variant and size. */
  class?: string;
} & (
  | ({ href: string } & Omit<JSX.HtmlAnchorTag, "class">)
  | ({ href?: undefined } & Omit<JSX.HtmlButtonTag, "class">)
);

/**
 * A `<button>` (type "button" unless told otherwise), or an `<a>` drawn as one when it has an
 * `href`. Every other attribute (hx-*, data-*, aria-*, commandfor) goes on the element as given.
 * Text children must be escaped by the caller, as with any element (`safe` on the Button works).
 */
export function Button({
  variant,
  size,
  class: layout,
  children,
  ...attrs
}: PropsWithChildren<ButtonProps>): JSX.Element {
  const className = layout ? `${buttonClass(variant, size)} ${layout}` : buttonClass(variant, size);
  if (attrs.href !== undefined) {
    return (
      <a {...(attrs as JSX.HtmlAnchorTag)} class={className}>
        {children}
      </a>
    );
  }
  const { type = "button", ...rest } = attrs as JSX.HtmlButtonTag;
  return (
    <button type={type} {...rest} class={className}>
      {children}
    </button>
  );
}

/** The ✕ that closes a panel or a dialog; `label` names what it closes for screen readers. */
export function CloseButton({ label, ...attrs }: { label: string } & Omit<JSX.HtmlButtonTag, "class">) {
  return (
    <Button variant="ghost" size="sm" aria-label={label} {...attrs}>
      ✕
    </Button>
  );
}
