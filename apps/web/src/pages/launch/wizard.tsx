// The launch wizard on what the page has read (templates, launch fee, the wallet's FLOCK): pick a
// template, name the model, optionally bundle a first buy, then approve FLOCK and launch, each step
// shown as it goes and a refusal as the SDK's sentence. The chain work is `submit`'s (index.tsx),
// so the form's rules can be exercised without a chain.
import { checkName, describeError, FomoRejection, firstBuyCap, modelIdOf, quoteFirstBuy, type FirstBuyQuote, type Template } from "@fomo/sdk";
import { useId, useMemo, useState, type FormEvent, type ReactNode } from "react";
import type { Address, Hex } from "viem";
import { ActionStatus, Button, Card, Field, Stat } from "../../components/ui.tsx";
import { useChainAction } from "../../lib/chainAction.ts";
import { amount, flock, mt } from "../../lib/format.ts";
import { Link } from "../../lib/router.tsx";
import { parseDecimal } from "../../lib/amounts.ts";
import { days, TemplateEconomics, templateSummary } from "./economics.tsx";
import { DESCRIPTION_MAX, metadataUri } from "./metadata.ts";

export interface LaunchRequest {
  templateId: number;
  name: string;
  ticker: string;
  metadataURI: string;
  /** FLOCK wei; 0 for no first buy. */
  firstBuy: bigint;
}

/** The steps of a launch, named as the progress shows them. */
export const STEPS = ["Approving FLOCK", "Launching"] as const;
export type Step = (typeof STEPS)[number];

export type Submit = (request: LaunchRequest, step: (label: Step) => void) => Promise<{ mt: Address; hash: Hex }>;

export interface WizardProps {
  templates: readonly Template[];
  launchFee: bigint | undefined;
  /** The wallet's FLOCK; undefined while unknown. */
  balance: bigint | undefined;
  connected: boolean;
  /** What to show instead of the launch button without a wallet. */
  connect: ReactNode;
  submit: Submit;
  /**
   * The live offering already serving `modelId`, as far as the platform knows: the chain refuses a
   * second one (LaunchpadModelIdTaken), so the wizard says so before anything is approved.
   */
  servedBy?: (modelId: string) => Address | undefined;
}

/** The FLOCK amount typed, in wei (none typed: no first buy); a sentence when it is not one. */
function parseFlock(text: string): bigint | string {
  const parsed = parseDecimal(text, 18, "the first buy");
  return parsed === undefined ? 0n : "error" in parsed ? parsed.error : parsed.value;
}

/** The SDK's sentence for a value `check` refuses; undefined when it passes. */
function refusal(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return describeError(error);
  }
}

export function LaunchWizard({ templates, launchFee, balance, connected, connect, submit, servedBy }: WizardProps) {
  const enabled = templates.filter((t) => t.enabled);
  const [templateId, setTemplateId] = useState<number | undefined>(enabled[0]?.templateId);
  const template = templates.find((t) => t.templateId === templateId);
  const [name, setName] = useState("");
  const [ticker, setTicker] = useState("");
  const [description, setDescription] = useState("");
  const [firstBuyText, setFirstBuyText] = useState("");
  const [attempted, setAttempted] = useState(false);
  const [reached, setReached] = useState<Step | undefined>();
  const [launched, setLaunched] = useState<{ ticker: string; mt: Address } | undefined>();
  const action = useChainAction();
  const ids = { name: useId(), ticker: useId(), description: useId(), firstBuy: useId() };

  const nameError = name === "" ? (attempted ? "Give the model a name." : undefined) : refusal(() => checkName(name));
  const tickerError =
    ticker === ""
      ? attempted
        ? "Choose a ticker."
        : undefined
      : refusal(() => {
          const modelId = modelIdOf(template?.baseModelId ?? "", ticker);
          const holder = launched ? undefined : servedBy?.(modelId);
          if (holder) throw new FomoRejection("LaunchpadModelIdTaken", [modelId, holder], `${modelId} is taken`);
        });
  const firstBuy = parseFlock(firstBuyText);
  const quote = useMemo<FirstBuyQuote | undefined>(() => (template && typeof firstBuy === "bigint" && firstBuy > 0n ? quoteFirstBuy(template.terms, firstBuy) : undefined), [template, firstBuy]);
  const cap = template ? firstBuyCap(template.terms.sale) : 0n;
  const firstBuyError =
    typeof firstBuy === "string"
      ? firstBuy
      : quote && quote.mtOut > cap
        ? describeError(new FomoRejection("LaunchpadFirstBuyTooLarge", [quote.mtOut, cap], "first buy over the cap"))
        : undefined;
  const total = launchFee === undefined ? undefined : launchFee + (typeof firstBuy === "bigint" ? firstBuy : 0n);
  const short = total !== undefined && balance !== undefined && balance < total;
  const valid = template !== undefined && template.enabled && name !== "" && ticker !== "" && !nameError && !tickerError && !firstBuyError && total !== undefined && !short;

  const start = async (event: FormEvent) => {
    event.preventDefault();
    setAttempted(true);
    if (!valid || !template || typeof firstBuy !== "bigint") {
      const first = name === "" || nameError ? ids.name : ticker === "" || tickerError ? ids.ticker : firstBuyError ? ids.firstBuy : undefined;
      if (first) document.getElementById(first)?.focus();
      return;
    }
    const request: LaunchRequest = { templateId: template.templateId, name, ticker, metadataURI: metadataUri({ description }), firstBuy };
    setLaunched(undefined);
    await action.run(async (step) => {
      const { mt: token, hash } = await submit(request, (label) => {
        setReached(label);
        step(label);
      });
      setLaunched({ ticker: request.ticker, mt: token });
      return { message: `${request.ticker} is launched.`, hash };
    });
  };

  const again = () => {
    action.reset();
    setLaunched(undefined);
    setReached(undefined);
    setAttempted(false);
    setName("");
    setTicker("");
    setDescription("");
    setFirstBuyText("");
  };

  if (templates.length === 0) {
    return <Card title="No templates">The registry lists no template to launch on yet.</Card>;
  }
  const locked = action.pending || launched !== undefined;
  return (
    <form onSubmit={(e) => void start(e)} noValidate className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem] lg:items-start">
      <div className="flex min-w-0 flex-col gap-6">
        <Card title="1. Template">
          <fieldset disabled={locked}>
            <legend className="mb-3 text-sm text-muted">The base model and the economics every offering on it keeps. They cannot be changed after launch.</legend>
            <div className="grid gap-2 sm:grid-cols-2">
              {templates.map((t) => (
                <label
                  key={t.templateId}
                  className={`flex cursor-pointer gap-3 rounded-lg border p-3 has-[:checked]:border-accent has-[:checked]:bg-accent/10 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent ${t.enabled ? "border-line" : "cursor-not-allowed border-line opacity-60"}`}
                >
                  <input type="radio" name="template" value={t.templateId} checked={t.templateId === templateId} disabled={!t.enabled} onChange={() => setTemplateId(t.templateId)} className="mt-1 accent-accent" />
                  <span className="min-w-0">
                    <span className="block font-medium">{t.baseModelId}</span>
                    <span className="block text-xs text-muted">{t.enabled ? templateSummary(t) : "Disabled for new launches"}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
          {template && (
            <details open className="mt-5 border-t border-line pt-4">
              <summary className="cursor-pointer text-sm font-semibold">Economics of {template.baseModelId}</summary>
              <div className="mt-4">
                <TemplateEconomics template={template} launchFee={launchFee} />
              </div>
            </details>
          )}
        </Card>

        <Card title="2. Your model">
          <fieldset disabled={locked} className="flex flex-col gap-4">
            <Field id={ids.name} label="Name" value={name} onChange={(e) => setName(e.target.value)} error={nameError} hint="1–32 printable ASCII characters, shown everywhere the model is listed." autoComplete="off" required />
            <Field
              id={ids.ticker}
              label="Ticker"
              value={ticker}
              onChange={(e) => setTicker(e.target.value.toUpperCase())}
              error={tickerError}
              hint={ticker && !tickerError && template ? `API model id: ${modelIdOf(template.baseModelId, ticker)}` : "1–10 of A–Z and 0–9; it names the $MT and the API model id."}
              autoComplete="off"
              spellCheck={false}
              required
            />
            <div className="flex flex-col gap-1">
              <label htmlFor={ids.description} className="text-sm font-medium">
                Description <span className="font-normal text-muted">(optional)</span>
              </label>
              <textarea
                id={ids.description}
                value={description}
                maxLength={DESCRIPTION_MAX}
                rows={3}
                onChange={(e) => setDescription(e.target.value)}
                aria-describedby={`${ids.description}-hint`}
                className="rounded-lg border border-line bg-page px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-accent"
              />
              <p id={`${ids.description}-hint`} className="text-xs text-muted">
                What the model is for. Stored with the launch on chain ({description.length}/{DESCRIPTION_MAX}).
              </p>
            </div>
          </fieldset>
        </Card>

        <Card title="3. First buy (optional)">
          <fieldset disabled={locked} className="flex flex-col gap-4">
            <Field
              id={ids.firstBuy}
              label="First buy, FLOCK"
              inputMode="decimal"
              placeholder="0"
              value={firstBuyText}
              onChange={(e) => setFirstBuyText(e.target.value)}
              error={firstBuyError}
              hint={`Bought at the start of the curve in the launch transaction, at the base fee (no anti-snipe surcharge). At most ${mt(cap, "$MT", 0)}.`}
              autoComplete="off"
            />
            {quote && !firstBuyError && (
              <dl className="grid gap-3 sm:grid-cols-2" aria-label="First buy quote" data-testid="first-buy-quote">
                <Stat label="You get" value={mt(quote.mtOut, `$${ticker || "MT"}`)} />
                <Stat label="Fee" value={flock(quote.fee)} />
                <Stat label="Price after" value={`${amount(quote.priceAfter, 18, 4)} FLOCK`} />
                <Stat label="Vesting" value={days(quote.vestingSeconds)} hint="linear from graduation; refunded if the raise fails" />
              </dl>
            )}
          </fieldset>
        </Card>
      </div>

      <div className="lg:sticky lg:top-20">
        <Card title="4. Launch">
          <dl className="flex flex-col gap-2 text-sm">
            <Row label="Launch fee" value={launchFee === undefined ? "…" : flock(launchFee, 0)} />
            <Row label="First buy" value={typeof firstBuy === "bigint" ? flock(firstBuy) : "—"} />
            <Row label="Total to approve" value={total === undefined ? "…" : flock(total)} strong />
            {connected && <Row label="Your FLOCK" value={balance === undefined ? "…" : flock(balance)} />}
          </dl>
          {short && (
            <p role="alert" className="mt-3 text-sm text-bad">
              You hold {flock(balance!)}; this launch needs {flock(total!)}.
            </p>
          )}
          <ol className="mt-4 flex flex-col gap-1 text-sm" aria-label="Launch steps">
            {STEPS.map((s) => (
              <StepItem key={s} label={s} status={stepStatus(s, reached, action.state.status, launched !== undefined)} />
            ))}
          </ol>
          <div className="mt-4 flex flex-col gap-3 [overflow-wrap:anywhere]">
            {launched ? (
              <div className="flex flex-col gap-2" data-testid="launch-success">
                <ActionStatus state={action.state} />
                <Link to={`/offerings/${encodeURIComponent(launched.ticker)}`} className="inline-flex min-h-10 items-center justify-center rounded-lg bg-accent px-4 py-2 text-sm font-medium text-on-accent hover:bg-accent/90">
                  Open {launched.ticker}'s offering
                </Link>
                <Button variant="secondary" onClick={again}>
                  Launch another
                </Button>
              </div>
            ) : connected ? (
              <>
                <Button type="submit" disabled={action.pending || total === undefined}>
                  {action.pending ? "Launching…" : "Approve and launch"}
                </Button>
                <ActionStatus state={action.state} />
              </>
            ) : (
              connect
            )}
          </div>
        </Card>
      </div>
    </form>
  );
}

type StepStatus = "todo" | "doing" | "done" | "failed";

function stepStatus(step: Step, reached: Step | undefined, status: string, done: boolean): StepStatus {
  if (done) return "done";
  if (reached === undefined) return "todo";
  const at = STEPS.indexOf(step);
  const now = STEPS.indexOf(reached);
  if (at < now) return "done";
  if (at > now) return "todo";
  return status === "error" ? "failed" : status === "pending" ? "doing" : "todo";
}

const MARK: Record<StepStatus, string> = { todo: "○", doing: "◌", done: "✓", failed: "✕" };
const SAY: Record<StepStatus, string> = { todo: "to do", doing: "in progress", done: "done", failed: "failed" };
const TONE: Record<StepStatus, string> = { todo: "text-muted", doing: "text-ink", done: "text-good", failed: "text-bad" };

function StepItem({ label, status }: { label: Step; status: StepStatus }) {
  return (
    <li className={`flex items-center gap-2 ${TONE[status]}`} data-step-status={status} aria-current={status === "doing" ? "step" : undefined}>
      <span aria-hidden className={status === "doing" ? "animate-pulse" : ""}>
        {MARK[status]}
      </span>
      {label}
      <span className="sr-only">: {SAY[status]}</span>
    </li>
  );
}

function Row({ label, value, strong }: { label: string; value: string; strong?: boolean }) {
  return (
    <div className="flex justify-between gap-3">
      <dt className="text-muted">{label}</dt>
      <dd className={`tabular-nums ${strong ? "font-semibold" : ""}`}>{value}</dd>
    </div>
  );
}
