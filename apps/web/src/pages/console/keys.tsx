// API keys: create one (its secret is in that one answer: shown once, then gone from the page),
// see each key's spend against its cap and its rate limits, change the limits, revoke it.
import { AlertDialog } from "radix-ui";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { EmptyState, ErrorState, LoadingState } from "../../components/states.tsx";
import { ActionStatus, Badge, Button, Card, CopyButton, Field, Progress } from "../../components/ui.tsx";
import { apiSend } from "../../lib/api.ts";
import { useChainAction } from "../../lib/chainAction.ts";
import { useNetwork } from "../../lib/network.tsx";
import { useKeys } from "./data.ts";
import { count, readOptionalCount, readOptionalUsd, usd, usdInput } from "./money.ts";
import type { CreatedKeyView, CreateKeyBody, KeyLimitsBody, KeyView } from "./wire.ts";

/** The platform's bounds on a key's rate limits. */
const MAX_RPM = 1_000_000;
const MAX_TPM = 1_000_000_000;

export const keyLabel = (key: Pick<KeyView, "name" | "prefix">) => key.name ?? `${key.prefix}…`;

interface LimitsText {
  cap: string;
  rpm: string;
  tpm: string;
}

type LimitErrors = Partial<Record<keyof LimitsText, string>>;

/** The three limit fields as typed → the body's limits (empty → `empty`: omitted on create, null on edit). */
function readLimits(text: LimitsText, empty: undefined | null): { body?: KeyLimitsBody; errors: LimitErrors } {
  const cap = readOptionalUsd(text.cap);
  const rpm = readOptionalCount(text.rpm, MAX_RPM);
  const tpm = readOptionalCount(text.tpm, MAX_TPM);
  const errors: LimitErrors = { cap: cap.error, rpm: rpm.error, tpm: tpm.error };
  if (cap.error ?? rpm.error ?? tpm.error) return { errors };
  const body: KeyLimitsBody = {};
  const set = <K extends keyof KeyLimitsBody>(field: K, value: KeyLimitsBody[K] | undefined) => {
    if (value !== undefined) body[field] = value;
    else if (empty === null) body[field] = null;
  };
  set("spend_cap_micro_usd", cap.value?.toString());
  set("rpm_limit", rpm.value);
  set("tpm_limit", tpm.value);
  return { body, errors: {} };
}

const LIMIT_FIELDS: ReadonlyArray<{ field: keyof LimitsText; label: string; inputMode: "decimal" | "numeric"; placeholder: string }> = [
  { field: "cap", label: "Spend cap (USD)", inputMode: "decimal", placeholder: "No cap" },
  { field: "rpm", label: "Requests per minute", inputMode: "numeric", placeholder: "No limit" },
  { field: "tpm", label: "Tokens per minute", inputMode: "numeric", placeholder: "No limit" },
];

function LimitFields({ idPrefix, text, errors, onChange }: { idPrefix: string; text: LimitsText; errors: LimitErrors; onChange: (text: LimitsText) => void }) {
  return LIMIT_FIELDS.map(({ field, label, inputMode, placeholder }) => (
    <Field
      key={field}
      id={`${idPrefix}-${field}`}
      label={label}
      inputMode={inputMode}
      autoComplete="off"
      placeholder={placeholder}
      value={text[field]}
      error={errors[field]}
      onChange={(e) => onChange({ ...text, [field]: e.target.value })}
    />
  ));
}

const NO_LIMITS: LimitsText = { cap: "", rpm: "", tpm: "" };

function CreateKeyForm({ onCreated }: { onCreated: (created: CreatedKeyView) => void }) {
  const [name, setName] = useState("");
  const [limits, setLimits] = useState(NO_LIMITS);
  const [errors, setErrors] = useState<LimitErrors & { name?: string }>({});
  const action = useChainAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const read = readLimits(limits, undefined);
    const nameError = name.trim().length > 100 ? "A name has at most 100 characters." : undefined;
    setErrors({ ...read.errors, name: nameError });
    if (!read.body || nameError) return;
    const body: CreateKeyBody = { ...(name.trim() ? { name: name.trim() } : {}), ...read.body };
    void action.run(async (step) => {
      step("Creating the key");
      const created = await apiSend<CreatedKeyView>("POST", "/account/keys", body);
      onCreated(created);
      setName("");
      setLimits(NO_LIMITS);
      return { message: `Key ${keyLabel(created.key)} created.` };
    });
  };
  return (
    <form onSubmit={submit} aria-label="Create an API key" className="flex flex-col gap-3">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Field id="new-key-name" label="Name" autoComplete="off" placeholder="e.g. production" value={name} error={errors.name} onChange={(e) => setName(e.target.value)} />
        <LimitFields idPrefix="new-key" text={limits} errors={errors} onChange={setLimits} />
      </div>
      <p className="text-xs text-muted">Limits are optional: leave a field empty for none. You can change them later.</p>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={action.pending}>
          Create key
        </Button>
        <ActionStatus state={action.state} />
      </div>
    </form>
  );
}

/** The new key's secret, this once: copy it, then dismiss it and it is gone from the page for good. */
export function SecretOnce({ created, onDismiss }: { created: CreatedKeyView; onDismiss: () => void }) {
  const network = useNetwork();
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => field.current?.focus(), []);
  const curl = `curl ${network.gateway_url}/chat/completions -H "Authorization: Bearer ${created.secret}" -H "Content-Type: application/json" -d '{"model":"MODEL_ID","messages":[{"role":"user","content":"Hello"}]}'`;
  return (
    <section aria-labelledby="new-key-title" className="rounded-xl border border-warn/60 bg-warn/10 p-4">
      <h3 id="new-key-title" className="font-semibold">
        Your new API key: {keyLabel(created.key)}
      </h3>
      <p className="mt-1 text-sm" id="new-key-warning">
        Copy it now: this is the only time it is shown. FOMO keeps only a hash of it, so no one can show it again; if you lose it, revoke it
        and create another.
      </p>
      <div className="mt-3 flex flex-col gap-2 sm:flex-row sm:items-end">
        <div className="flex min-w-0 flex-1 flex-col gap-1">
          <label htmlFor="new-key-secret" className="text-sm font-medium">
            Secret key
          </label>
          <input
            ref={field}
            id="new-key-secret"
            readOnly
            value={created.secret}
            aria-describedby="new-key-warning"
            onFocus={(e) => e.target.select()}
            className="min-h-10 w-full rounded-lg border border-line bg-page px-3 py-2 font-mono text-sm"
          />
        </div>
        <div className="flex gap-2">
          <CopyButton text={created.secret} label="Copy key" />
          <CopyButton text={curl} label="Copy curl example" />
        </div>
      </div>
      <Button variant="secondary" className="mt-3" onClick={onDismiss}>
        I have stored it, hide the key
      </Button>
    </section>
  );
}

function RevokeKey({ keyView }: { keyView: KeyView }) {
  const [open, setOpen] = useState(false);
  const action = useChainAction();
  const revoke = () =>
    void action.run(async (step) => {
      step("Revoking the key");
      await apiSend<KeyView>("DELETE", `/account/keys/${encodeURIComponent(keyView.id)}`);
      setOpen(false);
      return { message: `Key ${keyLabel(keyView)} revoked.` };
    });
  return (
    <>
      <AlertDialog.Root open={open} onOpenChange={setOpen}>
        <AlertDialog.Trigger asChild>
          <Button variant="secondary" className="min-h-8 px-3 py-1 text-xs">
            Revoke
          </Button>
        </AlertDialog.Trigger>
        <AlertDialog.Portal>
          <AlertDialog.Overlay className="fixed inset-0 bg-black/50" />
          <AlertDialog.Content className="fixed top-1/2 left-1/2 w-[min(92vw,28rem)] -translate-x-1/2 -translate-y-1/2 rounded-xl border border-line bg-surface p-5 shadow-xl">
            <AlertDialog.Title className="text-lg font-semibold">Revoke key {keyLabel(keyView)}?</AlertDialog.Title>
            <AlertDialog.Description className="mt-2 text-sm text-muted">
              Every request with this key is refused from now on (requests already running still finish). This cannot be undone.
            </AlertDialog.Description>
            {action.state.status === "error" && <ActionStatus state={action.state} />}
            <div className="mt-5 flex justify-end gap-2">
              <AlertDialog.Cancel asChild>
                <Button variant="secondary">Keep it</Button>
              </AlertDialog.Cancel>
              {/* Not AlertDialog.Action: that closes at once, and a failure must stay on screen. */}
              {/* Red text on the surface, not white on red: that pairing is below 4.5:1 contrast. */}
              <Button variant="secondary" className="text-bad" onClick={revoke} disabled={action.pending}>
                Revoke key
              </Button>
            </div>
          </AlertDialog.Content>
        </AlertDialog.Portal>
      </AlertDialog.Root>
      {action.state.status === "success" && <ActionStatus state={action.state} />}
    </>
  );
}

function EditLimits({ keyView, onDone }: { keyView: KeyView; onDone: () => void }) {
  const id = useId();
  const [text, setText] = useState<LimitsText>({
    cap: keyView.spend_cap_micro_usd === null ? "" : usdInput(keyView.spend_cap_micro_usd),
    rpm: keyView.rpm_limit?.toString() ?? "",
    tpm: keyView.tpm_limit?.toString() ?? "",
  });
  const [errors, setErrors] = useState<LimitErrors>({});
  const action = useChainAction();
  const save = (event: FormEvent) => {
    event.preventDefault();
    const read = readLimits(text, null);
    setErrors(read.errors);
    if (!read.body) return;
    const body = read.body;
    void action.run(async (step) => {
      step("Saving the limits");
      await apiSend<KeyView>("PATCH", `/account/keys/${encodeURIComponent(keyView.id)}`, body);
      onDone();
      return { message: "Limits saved." };
    });
  };
  return (
    <form onSubmit={save} aria-label={`Limits of ${keyLabel(keyView)}`} className="mt-3 flex flex-col gap-3 rounded-lg border border-line p-3">
      <div className="grid gap-3 sm:grid-cols-3">
        <LimitFields idPrefix={`limits${id}`} text={text} errors={errors} onChange={setText} />
      </div>
      <p className="text-xs text-muted">An empty field removes that limit. A cap below what the key has spent stops it spending.</p>
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" disabled={action.pending}>
          Save limits
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
        <ActionStatus state={action.state} />
      </div>
    </form>
  );
}

function KeyItem({ keyView }: { keyView: KeyView }) {
  const [editing, setEditing] = useState(false);
  const revoked = keyView.revoked_at !== null;
  const cap = keyView.spend_cap_micro_usd === null ? null : BigInt(keyView.spend_cap_micro_usd);
  const spent = BigInt(keyView.spent_micro_usd);
  const titleId = `key-${keyView.id}`;
  return (
    <li>
      <article aria-labelledby={titleId} className="rounded-lg border border-line p-3 sm:p-4">
        <header className="flex flex-wrap items-center gap-2">
          <h3 id={titleId} className="font-medium break-all">
            {keyLabel(keyView)}
          </h3>
          <Badge tone={revoked ? "failed" : "graduated"}>{revoked ? "Revoked" : "Active"}</Badge>
          <span className="font-mono text-xs text-muted" title="The key's first characters">
            {keyView.prefix}…
          </span>
          {!revoked && (
            <div className="ml-auto flex flex-wrap gap-2">
              <Button variant="secondary" className="min-h-8 px-3 py-1 text-xs" aria-expanded={editing} onClick={() => setEditing(!editing)}>
                Edit limits
              </Button>
              <RevokeKey keyView={keyView} />
            </div>
          )}
        </header>
        <dl className="mt-3 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
          <div className="min-w-0">
            <dt className="text-xs text-muted">Spent</dt>
            <dd className="tabular-nums">
              {usd(spent)} {cap === null ? <span className="text-muted">(no cap)</span> : <span className="text-muted">of {usd(cap)}</span>}
            </dd>
            {cap !== null && cap > 0n && (
              <dd className="mt-1">
                <Progress bps={spent >= cap ? 10_000 : Number((spent * 10_000n) / cap)} label={`Spent of the cap of ${keyLabel(keyView)}`} />
              </dd>
            )}
          </div>
          <div>
            <dt className="text-xs text-muted">Held now</dt>
            <dd className="tabular-nums">{usd(keyView.held_micro_usd)}</dd>
          </div>
          <div>
            <dt className="text-xs text-muted">Rate limits</dt>
            <dd className="tabular-nums">
              {keyView.rpm_limit === null ? "no request limit" : `${count(keyView.rpm_limit)} req/min`}
              <br />
              {keyView.tpm_limit === null ? "no token limit" : `${count(keyView.tpm_limit)} tokens/min`}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-muted">{revoked ? "Revoked" : "Created"}</dt>
            <dd>{new Date((revoked ? keyView.revoked_at : keyView.created_at)!).toLocaleString()}</dd>
          </div>
        </dl>
        {editing && !revoked && <EditLimits keyView={keyView} onDone={() => setEditing(false)} />}
      </article>
    </li>
  );
}

export function KeysPanel() {
  const keys = useKeys();
  const [created, setCreated] = useState<CreatedKeyView | null>(null);
  const [showRevoked, setShowRevoked] = useState(false);
  const dismiss = () => {
    setCreated(null);
    // The dismissed panel held the focus: hand it to the form, ready for another key.
    document.getElementById("new-key-name")?.focus();
  };
  const list = keys.data?.data ?? [];
  const shown = showRevoked ? list : list.filter((k) => k.revoked_at === null);
  const revokedCount = list.length - list.filter((k) => k.revoked_at === null).length;
  return (
    <div className="flex flex-col gap-4">
      <Card title="Create an API key">
        <CreateKeyForm onCreated={setCreated} />
        {created && (
          <div className="mt-4">
            <SecretOnce created={created} onDismiss={dismiss} />
          </div>
        )}
      </Card>
      <Card
        title="Your API keys"
        actions={
          revokedCount > 0 && (
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} className="size-4" />
              Show revoked keys ({revokedCount})
            </label>
          )
        }
      >
        {keys.isPending ? (
          <LoadingState label="Loading your keys" />
        ) : keys.isError ? (
          <ErrorState error={keys.error} retry={() => void keys.refetch()} />
        ) : shown.length === 0 ? (
          <EmptyState title={list.length === 0 ? "No API keys yet" : "No active keys"}>Create a key above to call the API.</EmptyState>
        ) : (
          <ul className="flex flex-col gap-3">
            {shown.map((k) => (
              <KeyItem key={k.id} keyView={k} />
            ))}
          </ul>
        )}
        {keys.data?.truncated && <p className="mt-2 text-xs text-muted">Showing the first {count(list.length)} keys.</p>}
      </Card>
    </div>
  );
}
