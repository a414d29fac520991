import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { KeysPanel } from "./keys.tsx";
import { apiError, fakeFetch, keyView, renderWithApp, type Call } from "./test-support.tsx";
import type { KeyView } from "./wire.ts";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

const SECRET = "sk-fomo-key_b2.Zm9tby10ZXN0LXNlY3JldC1vbmx5LW9uY2U";

/** The keys routes over an in-memory list, as the platform answers them. */
function keysPlatform(initial: KeyView[] = []) {
  const keys = [...initial];
  const calls = fakeFetch({
    "GET /account/keys": () => ({ body: { data: keys, next_cursor: null } }),
    "POST /account/keys": ({ body }: Call) => {
      const b = body as { name?: string; spend_cap_micro_usd?: string; rpm_limit?: number; tpm_limit?: number };
      const key = keyView({
        id: "key_b2",
        name: b.name ?? null,
        prefix: "sk-fomo-key_b2",
        spend_cap_micro_usd: b.spend_cap_micro_usd ?? null,
        rpm_limit: b.rpm_limit ?? null,
        tpm_limit: b.tpm_limit ?? null,
      });
      keys.push(key);
      return { status: 201, body: { key, secret: SECRET } };
    },
    "PATCH /account/keys/key_a1": ({ body }: Call) => {
      Object.assign(keys[0]!, body);
      return { body: keys[0] };
    },
    "DELETE /account/keys/key_a1": () => {
      keys[0]!.revoked_at = "2026-12-05T01:00:00.000Z";
      return { body: keys[0] };
    },
  });
  return { calls, keys };
}

const input = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe("API keys", () => {
  it("shows a new key's secret once, with a warning, and never again after it is dismissed", async () => {
    const { calls } = keysPlatform();
    await renderWithApp(<KeysPanel />, { connected: false });
    expect(await screen.findByText("No API keys yet")).toBeTruthy();
    input("Name", "  ci runner ");
    input("Spend cap (USD)", "12.5");
    input("Requests per minute", "60");
    fireEvent.click(screen.getByRole("button", { name: "Create key" }));

    const secret = (await screen.findByLabelText("Secret key")) as HTMLInputElement;
    expect(secret.value).toBe(SECRET);
    expect(secret.readOnly).toBe(true);
    // Focus moves to the secret (a screen reader reads it and its warning), and back to the form after.
    expect(document.activeElement).toBe(secret);
    expect(screen.getByText(/this is the only time it is shown/)).toBeTruthy();
    expect(screen.getByRole("button", { name: /^Copy key/ })).toBeTruthy();
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.body).toEqual({ name: "ci runner", spend_cap_micro_usd: "12500000", rpm_limit: 60 });
    // The list shows the new key, its cap read back exactly.
    const item = await screen.findByRole("article", { name: "ci runner" });
    expect(within(item).getByText("of $12.50")).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "I have stored it, hide the key" }));
    expect(screen.queryByLabelText("Secret key")).toBeNull();
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect(document.activeElement).toBe(screen.getByLabelText("Name"));
    expect(screen.getByRole("article", { name: "ci runner" })).toBeTruthy();
  });

  it("refuses a spend cap finer than a micro-USD before sending anything", async () => {
    const { calls } = keysPlatform();
    await renderWithApp(<KeysPanel />, { connected: false });
    await screen.findByText("No API keys yet");
    input("Spend cap (USD)", "0.0000001");
    input("Tokens per minute", "0");
    fireEvent.click(screen.getByRole("button", { name: "Create key" }));
    expect(await screen.findByText("Enter an amount in USD such as 25 or 12.50, with at most 6 decimals.")).toBeTruthy();
    expect(screen.getByText("Enter a whole number from 1 to 1,000,000,000.")).toBeTruthy();
    expect(calls.filter((c) => c.method === "POST")).toEqual([]);
  });

  it("shows the platform's error in a sentence when creating fails", async () => {
    fakeFetch({
      "GET /account/keys": () => ({ body: { data: [], next_cursor: null } }),
      "POST /account/keys": () => apiError(429, "rate_limited", "Too many requests: retry in 12 s."),
    });
    await renderWithApp(<KeysPanel />, { connected: false });
    await screen.findByText("No API keys yet");
    fireEvent.click(screen.getByRole("button", { name: "Create key" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Too many requests: retry in 12 s.");
    expect(screen.queryByLabelText("Secret key")).toBeNull();
  });

  it("edits limits: a cleared field removes the limit, a typed one replaces it", async () => {
    const { calls } = keysPlatform([keyView({ spend_cap_micro_usd: "5000000", spent_micro_usd: "1250000", rpm_limit: 30 })]);
    await renderWithApp(<KeysPanel />, { connected: false });
    const item = await screen.findByRole("article", { name: "production" });
    expect(within(item).getByText("$1.25")).toBeTruthy();
    expect(within(item).getByText("of $5.00")).toBeTruthy();
    fireEvent.click(within(item).getByRole("button", { name: "Edit limits" }));
    const form = within(item).getByRole("form", { name: "Limits of production" });
    expect((within(form).getByLabelText("Spend cap (USD)") as HTMLInputElement).value).toBe("5");
    fireEvent.change(within(form).getByLabelText("Spend cap (USD)"), { target: { value: "" } });
    fireEvent.change(within(form).getByLabelText("Tokens per minute"), { target: { value: "20,000" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save limits" }));
    await waitFor(() => expect(calls.some((c) => c.method === "PATCH")).toBe(true));
    expect(calls.find((c) => c.method === "PATCH")!.body).toEqual({ spend_cap_micro_usd: null, rpm_limit: 30, tpm_limit: 20_000 });
    expect(await within(item).findByText("no cap", { exact: false })).toBeTruthy();
  });

  it("revokes a key only after confirming", async () => {
    const { calls } = keysPlatform([keyView()]);
    await renderWithApp(<KeysPanel />, { connected: false });
    const item = await screen.findByRole("article", { name: "production" });
    fireEvent.click(within(item).getByRole("button", { name: "Revoke" }));
    const dialog = await screen.findByRole("alertdialog", { name: "Revoke key production?" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Keep it" }));
    expect(calls.some((c) => c.method === "DELETE")).toBe(false);

    fireEvent.click(within(item).getByRole("button", { name: "Revoke" }));
    fireEvent.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Revoke key" }));
    await waitFor(() => expect(calls.some((c) => c.method === "DELETE" && c.path === "/account/keys/key_a1")).toBe(true));
    expect(await screen.findByText("No active keys")).toBeTruthy();
    fireEvent.click(screen.getByLabelText("Show revoked keys (1)"));
    expect(within(screen.getByRole("article", { name: "production" })).getByText("Revoked", { selector: "span" })).toBeTruthy();
  });
});
