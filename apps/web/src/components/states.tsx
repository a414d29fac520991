// Loading, empty and error states: every page shows one of these rather than a blank area.
import type { ReactNode } from "react";
import { ApiError } from "../lib/api.ts";

export function LoadingState({ label = "Loading" }: { label?: string }) {
  return (
    <div role="status" aria-live="polite" className="flex items-center gap-3 p-8 text-muted">
      <span className="size-4 animate-spin rounded-full border-2 border-current border-t-transparent" aria-hidden />
      {label}…
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-xl border border-dashed border-line p-8 text-center">
      <p className="font-medium">{title}</p>
      {children && <div className="mt-2 text-sm text-muted">{children}</div>}
    </div>
  );
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const message = error instanceof ApiError || error instanceof Error ? error.message : String(error);
  return (
    <div role="alert" className="rounded-xl border border-bad/40 bg-bad/10 p-6">
      <p className="font-medium text-bad">Something went wrong</p>
      <p className="mt-1 text-sm">{message}</p>
      {retry && (
        <button type="button" onClick={retry} className="mt-3 rounded-lg border border-line px-3 py-1.5 text-sm hover:bg-raised focus-visible:outline-2">
          Try again
        </button>
      )}
    </div>
  );
}
