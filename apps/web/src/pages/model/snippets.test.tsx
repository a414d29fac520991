import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { KEY_PLACEHOLDER, ModelAccess, snippetsFor } from "./snippets.tsx";

// The model id as the gateway serves a deployment (docs/api.md: <baseModelId>-<ticker in lower case>)
// and the gateway URL as GET /network gives it.
const MODEL = "stories-260k-story";
const GATEWAY = "http://127.0.0.1:8787/v1";

afterEach(cleanup);

describe("snippetsFor", () => {
  it("calls the chat completions route of the network's gateway with the model id and a placeholder key", () => {
    const [curl, python, js] = snippetsFor(MODEL, GATEWAY);
    expect(curl!.code).toContain(`curl ${GATEWAY}/chat/completions`);
    expect(curl!.code).toContain(`"Authorization: Bearer ${KEY_PLACEHOLDER}"`);
    const body = curl!.code.match(/-d '(.*)'$/m)?.[1];
    expect(JSON.parse(body!)).toMatchObject({ model: MODEL, messages: [{ role: "user" }] });
    expect(python!.code).toContain(`OpenAI(base_url="${GATEWAY}", api_key="${KEY_PLACEHOLDER}")`);
    expect(python!.code).toContain(`model="${MODEL}"`);
    expect(js!.code).toContain(`new OpenAI({ baseURL: "${GATEWAY}", apiKey: "${KEY_PLACEHOLDER}" })`);
    expect(js!.code).toContain(`model: "${MODEL}"`);
  });

  it("does not double the slash when the gateway URL ends with one", () => {
    for (const s of snippetsFor(MODEL, `${GATEWAY}/`)) expect(s.code).not.toContain("/v1//");
  });
});

describe("ModelAccess", () => {
  it("shows the model id with a copy button, a link to the console and every snippet a tab away", async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    render(<ModelAccess model={MODEL} gatewayUrl={GATEWAY} />);
    expect(screen.getByLabelText("Model id").textContent).toBe(MODEL);
    fireEvent.click(screen.getByRole("button", { name: `Copy model id: ${MODEL}` }));
    await vi.waitFor(() => expect(writeText).toHaveBeenCalledWith(MODEL));
    expect(screen.getByRole("link", { name: /API key in the console/ }).getAttribute("href")).toBe("/console");

    const tabs = screen.getByRole("tablist", { name: "Snippet language" });
    expect(within(tabs).getAllByRole("tab").map((t) => t.textContent)).toEqual(["curl", "Python", "JavaScript"]);
    expect(screen.getByRole("tabpanel").textContent).toContain(`${GATEWAY}/chat/completions`);
    fireEvent.mouseDown(within(tabs).getByRole("tab", { name: "Python" }), { button: 0 });
    const panel = screen.getByRole("tabpanel");
    expect(panel.textContent).toContain(`model="${MODEL}"`);
    fireEvent.click(within(panel).getByRole("button", { name: "Copy Python: snippet" }));
    await vi.waitFor(() => expect(writeText).toHaveBeenLastCalledWith(expect.stringContaining(`base_url="${GATEWAY}"`)));
  });
});
