// The marketplace page as the app mounts it (query client, router), on answers shaped like the
// platform's: loading, the platform's error with a retry, then the list. No chain client: the first
// page reads only the platform.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, expect, it, vi } from "vitest";
import { Router } from "../../lib/router.tsx";
import { AS_OF, offerings } from "./fixture.ts";
import MarketplacePage from "./index.tsx";

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

it("shows loading, then the platform's error with a retry, then the offerings", async () => {
  let answer = new Response(JSON.stringify({ error: { code: "read_model_unavailable", message: "This platform serves no read model." } }), { status: 503 });
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
    const url = String(input instanceof Request ? input.url : input);
    if (!url.startsWith("/api/v1/offerings?")) throw new TypeError(`unexpected request ${url}`);
    return answer.clone();
  });
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <Router routes={[{ path: "/", render: () => <MarketplacePage /> }]} notFound={() => null} />
    </QueryClientProvider>,
  );
  expect(screen.getByRole("status").textContent).toBe("Loading offerings…");
  expect((await screen.findByRole("alert")).textContent).toContain("This platform serves no read model.");

  answer = new Response(JSON.stringify({ data: offerings(3), next_cursor: null, as_of: String(AS_OF) }), { status: 200 });
  fireEvent.click(screen.getByRole("button", { name: "Try again" }));
  expect(await screen.findByRole("table", { name: "Offerings" })).toBeTruthy();
  expect(screen.getByTestId("market-count").textContent).toBe("3 offerings");
  // Template names read off the offerings' model ids.
  expect(screen.getAllByRole("option").map((o) => o.textContent)).toEqual(expect.arrayContaining(["stories-260k", "qwen3-30b-a3b-instruct"]));
});
