import { defaultCatalog, FLOCK, FomoRejection, LAUNCH_FEE, termsCurve, type Template } from "@fomo/sdk";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { metadataUri, readMetadata } from "./metadata.ts";
import { LaunchWizard, type LaunchRequest, type Submit, type WizardProps } from "./wizard.tsx";

/** The catalog as the local deployment publishes it to the registry (terms = the catalog's, curve calibrated). */
const TEMPLATES: Template[] = defaultCatalog.map((spec, templateId) => ({
  templateId,
  baseModelId: spec.baseModelId,
  hostingTier: spec.hostingTier,
  enabled: true,
  termsId: templateId,
  terms: { templateId, curve: termsCurve(spec.sale, spec.allocation), sale: spec.sale, allocation: spec.allocation, pricing: spec.pricing },
}));

const MT = "0x00000000000000000000000000000000000000aa" as const;
const HASH = `0x${"ab".repeat(32)}` as const;

function show(props: Partial<WizardProps> = {}) {
  const submit = props.submit ?? vi.fn<Submit>(async () => ({ mt: MT, hash: HASH }));
  render(
    <QueryClientProvider client={new QueryClient()}>
      <LaunchWizard templates={TEMPLATES} launchFee={LAUNCH_FEE} balance={1_000_000n * FLOCK} connected connect={<button type="button">Connect a wallet to launch</button>} {...props} submit={submit} />
    </QueryClientProvider>,
  );
  return submit;
}

const type = (label: string | RegExp, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const launchButton = () => screen.getByRole("button", { name: "Approve and launch" });
const stepStatus = (name: string) => screen.getByText(name, { selector: "li" }).getAttribute("data-step-status");

function deferred() {
  let release!: () => void;
  const promise = new Promise<void>((r) => (release = r));
  return { promise, release };
}

afterEach(cleanup);

describe("the launch wizard", () => {
  it("shows the chosen template's fixed economics", () => {
    show();
    const economics = within(screen.getByTestId("template-economics"));
    expect(economics.getByText("cpu-small")).toBeTruthy();
    expect(economics.getByText("$0.20")).toBeTruthy();
    expect(economics.getByText("$0.80")).toBeTruthy();
    // Floors: 1.1 × the hard costs $0.02 and $0.05.
    expect(economics.getByText("floor $0.022 (hard cost + 10%)")).toBeTruthy();
    expect(economics.getByText("floor $0.055 (hard cost + 10%)")).toBeTruthy();
    expect(economics.getByText("200K–1M FLOCK")).toBeTruthy();
    // X0/Y0 = 500,000/600,000 at the start; 9x that at raiseMax.
    expect(economics.getByText("0.8333 → 7.5")).toBeTruthy();
    expect(economics.getByText("250K $MT")).toBeTruthy();
    expect(economics.getByText("32,768 FLOCK")).toBeTruthy();
    expect(economics.getByText("1.5%")).toBeTruthy();
    expect(economics.getByText("50% of it to you")).toBeTruthy();
    // 99% falling 1 point a minute reaches 1.5% after 98 minutes.
    expect(economics.getByText("−1% a minute; base fee after 1h 38m")).toBeTruthy();
    expect(economics.getByText("400K $MT")).toBeTruthy();
    expect(economics.getByText("90 days cliff")).toBeTruthy();
    expect(economics.getByText("then linear until 365 days from graduation")).toBeTruthy();
    expect(economics.getByText("over 180 days")).toBeTruthy();

    fireEvent.click(screen.getByRole("radio", { name: /qwen3-30b-a3b-instruct/ }));
    expect(economics.getByText("gpu-a100")).toBeTruthy();
    expect(economics.getByText("floor $0.088 (hard cost + 10%)")).toBeTruthy();
    expect(economics.getByText("floor $0.33 (hard cost + 10%)")).toBeTruthy();
  });

  it("refuses a bad name or ticker with the SDK's sentence and shows the model id a good ticker serves", () => {
    const submit = show();
    fireEvent.click(launchButton());
    expect(screen.getByText("Give the model a name.")).toBeTruthy();
    expect(screen.getByText("Choose a ticker.")).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText("Name"));
    type("Name", "Modèle");
    expect(screen.getByText('Invalid name "Modèle": use 1-32 printable ASCII characters.')).toBeTruthy();
    type("Ticker", "mk-1");
    expect((screen.getByLabelText("Ticker") as HTMLInputElement).value).toBe("MK-1");
    expect(screen.getByText('Invalid ticker "MK-1": use 1-10 characters of A-Z and 0-9.')).toBeTruthy();
    expect(screen.getByLabelText("Ticker").getAttribute("aria-invalid")).toBe("true");
    type("Ticker", "mk1");
    expect(screen.getByText("API model id: stories-260k-mk1")).toBeTruthy();
    fireEvent.click(launchButton());
    expect(submit).not.toHaveBeenCalled();
  });

  it("refuses a model id a live offering already serves, before anything is approved", () => {
    const submit = show({ servedBy: (modelId) => (modelId === "stories-260k-mktaken" ? MT : undefined) });
    type("Name", "Taken");
    type("Ticker", "MKTAKEN");
    expect(screen.getByText(`The model id stories-260k-mktaken is already served by ${MT}: pick another ticker.`)).toBeTruthy();
    fireEvent.click(launchButton());
    expect(submit).not.toHaveBeenCalled();
    // The same ticker on another base model is another model id.
    fireEvent.click(screen.getByRole("radio", { name: /qwen3-30b-a3b-instruct/ }));
    expect(screen.getByText("API model id: qwen3-30b-a3b-instruct-mktaken")).toBeTruthy();
  });

  it("quotes the first buy (cost, $MT out, vesting) and refuses one over the cap", () => {
    show();
    type("Ticker", "MKQ");
    type("First buy, FLOCK", "10000");
    const quote = within(screen.getByTestId("first-buy-quote"));
    // Fee ⌈10,000 × 1.5%⌉ = 150; $MT = 600,000 − 500,000 × 600,000 / 509,850.
    expect(quote.getByText("11,591.64 $MKQ")).toBeTruthy();
    expect(quote.getByText("150 FLOCK")).toBeTruthy();
    expect(quote.getByText("0.8664 FLOCK")).toBeTruthy();
    expect(quote.getByText("90 days")).toBeTruthy();
    expect(quote.getByText("linear from graduation; refunded if the raise fails")).toBeTruthy();
    expect(screen.getByText("42,768 FLOCK")).toBeTruthy();

    type("First buy, FLOCK", "400000");
    expect(screen.getByText(/^The first buy would give 264,429\.5\d* \$MT, over the first-buy cap of 250,000 \$MT\. Buy less at launch\.$/)).toBeTruthy();
    expect(screen.queryByTestId("first-buy-quote")).toBeNull();
    type("First buy, FLOCK", "12abc");
    expect(screen.getByText("Enter the first buy as a number, like 1000 or 0.5.")).toBeTruthy();
  });

  it("approves, launches and links to the new offering, each step shown as it goes", async () => {
    const approved = deferred();
    const mined = deferred();
    const requests: LaunchRequest[] = [];
    show({
      submit: async (request, step) => {
        requests.push(request);
        step("Approving FLOCK");
        await approved.promise;
        step("Launching");
        await mined.promise;
        return { mt: MT, hash: HASH };
      },
    });
    type("Name", "Tiny Stories");
    type("Ticker", "mktest");
    type(/Description/, "Bedtime stories, ünïcode too.");
    type("First buy, FLOCK", "2,500.5");
    await act(async () => fireEvent.click(launchButton()));
    expect(screen.getByRole("status").textContent).toBe("Approving FLOCK…");
    expect(stepStatus("Approving FLOCK")).toBe("doing");
    expect(stepStatus("Launching")).toBe("todo");
    await act(async () => approved.release());
    expect(screen.getByRole("status").textContent).toBe("Launching…");
    expect(stepStatus("Approving FLOCK")).toBe("done");
    expect(stepStatus("Launching")).toBe("doing");
    await act(async () => mined.release());
    expect(screen.getByRole("status").textContent).toContain("MKTEST is launched.");
    expect(stepStatus("Launching")).toBe("done");
    expect(screen.getByRole("link", { name: "Open MKTEST's offering" }).getAttribute("href")).toBe("/offerings/MKTEST");

    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({ templateId: 0, name: "Tiny Stories", ticker: "MKTEST", firstBuy: 2_500_500_000_000_000_000_000n });
    expect(readMetadata(request!.metadataURI)).toEqual({ description: "Bedtime stories, ünïcode too." });
  });

  it("shows a refusal as a sentence and marks the step that failed", async () => {
    show({
      submit: async (_request, step) => {
        step("Approving FLOCK");
        step("Launching");
        throw new FomoRejection("LaunchpadModelIdTaken", ["stories-260k-mkdup", MT], "taken");
      },
    });
    type("Name", "Dup");
    type("Ticker", "MKDUP");
    await act(async () => fireEvent.click(launchButton()));
    expect(screen.getByRole("alert").textContent).toBe(`The model id stories-260k-mkdup is already served by ${MT}: pick another ticker.`);
    expect(stepStatus("Approving FLOCK")).toBe("done");
    expect(stepStatus("Launching")).toBe("failed");
    expect(launchButton()).toBeTruthy();
  });

  it("asks for a wallet when none is connected, and for FLOCK when the wallet holds too little", () => {
    show({ connected: false });
    expect(screen.getByRole("button", { name: "Connect a wallet to launch" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Approve and launch" })).toBeNull();
    cleanup();
    const submit = show({ balance: 1_000n * FLOCK });
    type("Name", "Poor");
    type("Ticker", "MKPOOR");
    expect(screen.getByRole("alert").textContent).toBe("You hold 1,000 FLOCK; this launch needs 32,768 FLOCK.");
    fireEvent.click(launchButton());
    expect(submit).not.toHaveBeenCalled();
  });
});

describe("offering metadata", () => {
  it("round-trips a description through a data: URI and reads nothing from other URIs", () => {
    const uri = metadataUri({ description: "  Stories, 物語 and émojis 🐑 " });
    expect(uri.startsWith("data:application/json;base64,")).toBe(true);
    expect(readMetadata(uri)).toEqual({ description: "Stories, 物語 and émojis 🐑" });
    expect(metadataUri({ description: "   " })).toBe("");
    expect(readMetadata("")).toBeUndefined();
    expect(readMetadata("ipfs://bafy")).toBeUndefined();
    expect(readMetadata("data:application/json;base64,!!!")).toBeUndefined();
  });
});
