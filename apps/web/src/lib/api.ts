// The platform API (/api/v1), same-origin: the session cookie rides along by itself, and every
// state-changing request carries the CSRF header the platform requires. Errors arrive as
// {"error":{"code","message"}} and are thrown as ApiError with that sentence, ready to show.
export const API_BASE = "/api/v1";
const CSRF_HEADER = "X-FOMO-CSRF";

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ""}`;
}

async function answer<T>(response: Response): Promise<T> {
  const text = await response.text();
  const body: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? "http_error", error?.message ?? `The platform answered ${response.status} ${response.statusText}.`);
  }
  return body as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: { code: "bad_answer", message: "The platform's answer was not JSON." } };
  }
}

async function request(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { credentials: "same-origin", ...init });
  } catch {
    throw new ApiError(0, "unreachable", "The platform API does not answer: is the stack running (./fomo up)?");
  }
}

export async function apiGet<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
  return answer<T>(await request(apiUrl(path, query), { headers: { accept: "application/json" }, ...(signal ? { signal } : {}) }));
}

export async function apiSend<T>(method: "POST" | "PATCH" | "DELETE", path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json", [CSRF_HEADER]: "1" };
  if (body !== undefined) headers["content-type"] = "application/json";
  return answer<T>(await request(apiUrl(path), { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) }));
}

/** A list page, as every list route answers. */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}
