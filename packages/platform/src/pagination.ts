// Cursor pagination, one shape on every list route: `?limit=N&cursor=C` in, `{ data: [...],
// next_cursor }` out, next_cursor null on the last page. A cursor is opaque (base64url JSON): the
// client passes back what it was given, with the same filters.
import { badRequest } from "./errors.ts";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface PageQuery {
  limit: number;
  cursor?: string;
}

/** The querystring properties of a paginated route. */
export const pageQueryProperties = {
  limit: { type: "integer", minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, description: `Items per page (1 to ${MAX_PAGE_SIZE}).` },
  cursor: { type: "string", minLength: 1, maxLength: 512, pattern: "^[A-Za-z0-9_-]+$", description: "next_cursor of the previous page." },
} as const;

export interface Page<T> {
  data: T[];
  /** Pass as `cursor` for the next page; null: this was the last. */
  next_cursor: string | null;
}

export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position), "utf8").toString("base64url");
}

/** The position a cursor holds, if `valid` accepts it; a 400 otherwise (a cursor is never trusted). */
export function decodeCursor<T>(cursor: string, valid: (position: unknown) => position is T): T {
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    position = undefined;
  }
  if (!valid(position)) throw badRequest("cursor is not one this API issued: pass next_cursor back unchanged, with the same filters.");
  return position;
}

const isOffset = (p: unknown): p is { offset: number } =>
  typeof p === "object" && p !== null && Number.isSafeInteger((p as { offset: unknown }).offset) && (p as { offset: number }).offset >= 0;

/** A page of a list already in memory (read-model lists are per chain, not per request). */
export function pageOf<T>(items: readonly T[], { limit, cursor }: PageQuery): Page<T> {
  const offset = cursor === undefined ? 0 : decodeCursor(cursor, isOffset).offset;
  const end = offset + limit;
  return { data: items.slice(offset, end), next_cursor: end < items.length ? encodeCursor({ offset: end }) : null };
}
