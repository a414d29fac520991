// The app's small component kit (Tailwind classes over Radix primitives where behaviour matters:
// dialogs, tabs, tooltips). Colours come from the theme in styles.css, chosen for WCAG AA contrast.
import { Progress as RadixProgress, Tabs as RadixTabs } from "radix-ui";
import { useState, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode } from "react";
import type { ActionState } from "../lib/chainAction.ts";

type Variant = "primary" | "secondary" | "ghost" | "danger";
const VARIANTS: Record<Variant, string> = {
  primary: "bg-accent text-on-accent hover:bg-accent/90",
  secondary: "border border-line bg-surface hover:bg-raised",
  ghost: "hover:bg-raised",
  danger: "bg-bad text-on-accent hover:bg-bad/90",
};

export function Button({ variant = "primary", className = "", ...rest }: { variant?: Variant } & ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button
      type="button"
      className={`inline-flex min-h-10 items-center justify-center gap-2 rounded-lg px-4 py-2 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent disabled:cursor-not-allowed disabled:opacity-50 ${VARIANTS[variant]} ${className}`}
      {...rest}
    />
  );
}

export function Card({ title, children, className = "", actions }: { title?: ReactNode; children: ReactNode; className?: string; actions?: ReactNode }) {
  return (
    <section className={`rounded-xl border border-line bg-surface p-4 sm:p-5 ${className}`}>
      {(title || actions) && (
        <header className="mb-3 flex flex-wrap items-center justify-between gap-2">
          {title && <h2 className="text-base font-semibold">{title}</h2>}
          {actions}
        </header>
      )}
      {children}
    </section>
  );
}

/** A labelled input: the label is tied to the field, the hint and error are announced with it. */
export function Field({ label, hint, error, id, ...rest }: { label: string; hint?: ReactNode; error?: string | undefined; id: string } & InputHTMLAttributes<HTMLInputElement>) {
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        className="min-h-10 rounded-lg border border-line bg-page px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-accent aria-invalid:border-bad"
        {...rest}
      />
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-muted">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-xs text-bad">
          {error}
        </p>
      )}
    </div>
  );
}

/** Progress between 0 and 10,000 bps. */
export function Progress({ bps, label }: { bps: bigint | number; label: string }) {
  const value = Math.min(100, Math.max(0, Number(bps) / 100));
  return (
    <RadixProgress.Root value={value} max={100} aria-label={label} className="h-2 w-full overflow-hidden rounded-full bg-raised">
      <RadixProgress.Indicator className="h-full bg-accent transition-[width]" style={{ width: `${value}%` }} />
    </RadixProgress.Root>
  );
}

export function Stat({ label, value, hint }: { label: string; value: ReactNode; hint?: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs uppercase tracking-wide text-muted">{label}</dt>
      <dd className="truncate text-base font-semibold tabular-nums">{value}</dd>
      {hint && <dd className="text-xs text-muted">{hint}</dd>}
    </div>
  );
}

const BADGE: Record<string, string> = {
  raising: "bg-accent/15 text-accent",
  succeeded: "bg-good/15 text-good",
  graduated: "bg-good/15 text-good",
  failed: "bg-bad/15 text-bad",
};

export function Badge({ children, tone }: { children: ReactNode; tone?: string }) {
  return <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${BADGE[tone ?? ""] ?? "bg-raised text-muted"}`}>{children}</span>;
}

/** What a chain action is doing, announced to screen readers as it changes. */
export function ActionStatus({ state, explorer }: { state: ActionState; explorer?: (hash: string) => string | undefined }) {
  if (state.status === "idle") return null;
  const tone = state.status === "error" ? "text-bad" : state.status === "success" ? "text-good" : "text-muted";
  const link = state.status === "success" && state.hash ? explorer?.(state.hash) : undefined;
  return (
    <p role={state.status === "error" ? "alert" : "status"} aria-live="polite" className={`text-sm ${tone}`} data-action-status={state.status}>
      {state.status === "pending" && `${state.step}…`}
      {state.status === "success" && (
        <>
          {state.message}
          {state.hash && (link ? <a className="ml-1 underline" href={link}>{short(state.hash)}</a> : <span className="ml-1 font-mono text-xs">{short(state.hash)}</span>)}
        </>
      )}
      {state.status === "error" && state.message}
    </p>
  );
}

const short = (hash: string) => `${hash.slice(0, 10)}…`;

/** `name` is the button's accessible name when the visible label and the text do not say enough (a hash, a snippet). */
export function CopyButton({ text, label = "Copy", name }: { text: string; label?: string; name?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 1_500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <Button variant="secondary" className="min-h-8 px-2 py-1 text-xs" onClick={() => void copy()} aria-label={name ?? `${label}: ${text.length > 40 ? "snippet" : text}`}>
      {copied ? "Copied" : label}
    </Button>
  );
}

/** The strip of tabs of a Radix Tabs.Root: one look for every tabbed panel (it scrolls sideways on a phone). */
export function TabList({ label, tabs, className = "" }: { label: string; tabs: ReadonlyArray<{ id: string; label: ReactNode }>; className?: string }) {
  return (
    <RadixTabs.List aria-label={label} className={`flex gap-1 overflow-x-auto border-b border-line ${className}`}>
      {tabs.map((t) => (
        <RadixTabs.Trigger
          key={t.id}
          value={t.id}
          className="-mb-px min-h-10 border-b-2 border-transparent px-4 py-2 text-sm whitespace-nowrap text-muted hover:text-ink focus-visible:outline-2 focus-visible:outline-accent data-[state=active]:border-accent data-[state=active]:font-semibold data-[state=active]:text-ink"
        >
          {t.label}
        </RadixTabs.Trigger>
      ))}
    </RadixTabs.List>
  );
}
