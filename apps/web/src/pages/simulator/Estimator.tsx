// The reward estimator's form and its answer: what one epoch of the keeper's computation gives you for
// a day's spend, stake and gmFLOCK among an $MT's other users (estimator.ts; every figure is the SDK's).
import { formatAmount, GM_LAMBDA, SCORE_ONE } from "@fomo/sdk";
import { useMemo, useState, type ReactNode } from "react";
import { Card, Field, Stat } from "../../components/ui.tsx";
import { amount, flock, mt } from "../../lib/format.ts";
import { defaultForm, estimate, MAX_OTHER_USERS, readForm, readYou, type Estimate, type EstimatorForm, type FormErrors } from "./estimator.ts";
import { NetworkEstimate } from "./networkEpoch.tsx";

/** A 1e18 fixed-point share as a percentage, truncated: 0.1234567e18 → "12.3456%". */
export const shareText = (share: bigint) => `${amount(share * 100n, 18, 4)}%`;
/** A 1e18 fixed-point score as a decimal: 0.1234567e18 → "0.123456". */
export const scoreText = (score: bigint) => amount(score, 18, 6);
/** Your part of a pot from your score and the scores' sum, as a share (1e18 fixed point). */
const partOf = (score: bigint, total: bigint) => (total === 0n ? 0n : (score * SCORE_ONE) / total);

/** FLOCK dust the previous epoch left: it joins E in the pot shared between the $MTs. */
const carried = (result: Estimate) => result.input.carry.find((c) => c.token.toLowerCase() === result.input.flock.toLowerCase())?.amount ?? 0n;

/** A rounded figure whose tooltip holds its every digit (18 decimals). */
const Exact = ({ wei, children }: { wei: bigint; children: ReactNode }) => <span title={formatAmount(wei)}>{children}</span>;

type FieldSpec = { key: keyof EstimatorForm; label: string; hint?: string; mode: "decimal" | "numeric" };

const YOUR_FIELDS: readonly FieldSpec[] = [
  { key: "spendUsd", label: "Your inference spend (USD a day)", mode: "decimal" },
  { key: "stakeMt", label: "Your stake ($MT)", hint: "Staked through the whole epoch.", mode: "decimal" },
  { key: "gm", label: "Your gmFLOCK", hint: `Boosts both your scores, G below ×${amount(SCORE_ONE + GM_LAMBDA, 18, 2)}.`, mode: "decimal" },
];

const OTHERS_FIELDS: readonly FieldSpec[] = [
  { key: "othersSpendUsd", label: "Other users' spend (USD a day)", mode: "decimal" },
  { key: "othersStakeMt", label: "Other users' stake ($MT)", mode: "decimal" },
  { key: "otherUsers", label: "Number of other users", hint: `Their spend and stake split evenly; at most ${MAX_OTHER_USERS.toLocaleString("en-US")}.`, mode: "numeric" },
  { key: "restSpendUsd", label: "Spend on the other $MTs (USD a day)", hint: "They share the emission with this one.", mode: "decimal" },
  { key: "restAgeDays", label: "Their age at this $MT's graduation (days)", mode: "numeric" },
  { key: "ageDays", label: "Days since this $MT graduated", mode: "numeric" },
  { key: "epoch", label: "Emission day (epoch)", hint: "E halves every 180 days.", mode: "numeric" },
];

function Fields({ legend, fields, form, errors, onChange, className }: {
  legend: string; fields: readonly FieldSpec[]; form: EstimatorForm; errors: FormErrors; onChange: (form: EstimatorForm) => void; className: string;
}) {
  return (
    <fieldset className={`grid min-w-0 gap-3 sm:grid-cols-2 ${className}`}>
      <legend className="mb-2 text-sm font-semibold">{legend}</legend>
      {fields.map((f) => (
        <Field
          key={f.key}
          id={`estimator-${f.key}`}
          label={f.label}
          hint={f.hint}
          error={errors[f.key]}
          inputMode={f.mode}
          autoComplete="off"
          value={form[f.key]}
          onChange={(e) => onChange({ ...form, [f.key]: e.target.value })}
        />
      ))}
    </fieldset>
  );
}

/** A titled list of figures: a region named by its heading. */
function StatGroup({ id, title, wide = false, children }: { id: string; title: string; wide?: boolean; children: ReactNode }) {
  return (
    <section aria-labelledby={id}>
      <h3 id={id} className="mb-2 text-sm font-semibold">
        {title}
      </h3>
      <dl className={`grid grid-cols-2 gap-3 ${wide ? "sm:grid-cols-3" : ""}`}>{children}</dl>
    </section>
  );
}

/** What the estimate shows: your rewards, your scores, and the epoch they come from. */
function EstimateView({ result }: { result: Estimate }) {
  return (
    <div className="grid gap-4">
      <p className="sr-only" aria-live="polite">
        Estimate: {flock(result.flock, 4)} and {mt(result.mtReward, "$MT", 4)} this epoch.
      </p>
      <StatGroup id="estimate-you" title="You get this epoch">
        <Stat label="FLOCK" value={<Exact wei={result.flock}>{flock(result.flock, 4)}</Exact>} />
        <Stat label="$MT" value={<Exact wei={result.mtReward}>{mt(result.mtReward, "$MT", 4)}</Exact>} />
        <Stat label="Share of the users' emission" value={shareText(partOf(result.score.global, result.globalTotal))} />
        <Stat label="Share of the incentive pool" value={shareText(partOf(result.score.incentive, result.incentiveTotal))} />
      </StatGroup>
      <StatGroup id="estimate-scores" title="Your scores" wide>
        <Stat label="Usage share" value={shareText(result.score.usage)} />
        <Stat label="Stake share" value={shareText(result.score.stake)} />
        <Stat label="gmFLOCK boost G" value={`×${amount(result.score.boost, 18, 4)}`} />
        <Stat label="Global score" value={<Exact wei={result.score.global}>{scoreText(result.score.global)}</Exact>} />
        <Stat label="Incentive score" value={<Exact wei={result.score.incentive}>{scoreText(result.score.incentive)}</Exact>} />
      </StatGroup>
      <StatGroup id="estimate-epoch" title="The epoch" wide>
        <Stat label="Emission E" value={<Exact wei={result.input.emission}>{flock(result.input.emission, 2)}</Exact>} hint={carried(result) > 0n ? `day ${result.input.epoch}, + ${flock(carried(result), 2)} carried` : `day ${result.input.epoch}`} />
        <Stat label="To this $MT" value={<Exact wei={result.mt.emission}>{flock(result.mt.emission, 2)}</Exact>} hint={`age factor ${amount(result.mt.ageFactor, 18, 4)}`} />
        <Stat label="Issuer bonus" value={flock(result.mt.issuerBonus, 2)} />
        <Stat label="Users' emission" value={flock(result.mt.usersEmission, 2)} />
        <Stat label="Incentive release" value={flock(result.poolRelease.flock, 2)} hint={mt(result.poolRelease.mt)} />
      </StatGroup>
    </div>
  );
}

type Source = "scenario" | "network";

export function Estimator() {
  const [form, setForm] = useState<EstimatorForm>(defaultForm);
  const [source, setSource] = useState<Source>("scenario");
  const read = useMemo(() => (source === "scenario" ? readForm(form) : readYou(form)), [form, source]);
  const scenarioEstimate = useMemo(() => ("input" in read ? estimate(read.input) : null), [read]);
  const errors = "errors" in read ? read.errors : {};
  const unit = source === "scenario" ? "a day" : "in the epoch";
  const yourFields = YOUR_FIELDS.map((f) => (f.key === "spendUsd" ? { ...f, label: `Your inference spend (USD ${unit})` } : f));
  return (
    <Card title="Reward estimator">
      <p className="mb-4 text-sm text-muted">
        One epoch of the keeper's rewards computation (the SDK's <code>computeEpochRewards</code>) with you among an $MT's users: your usage and stake
        shares, gmFLOCK boost and scores, and what they earn you.
      </p>
      <fieldset className="mb-4 flex flex-wrap gap-x-6 gap-y-2">
        <legend className="mb-2 text-sm font-semibold">Everyone else</legend>
        {([["scenario", "The simulator's default scenario (editable)"], ["network", "This network's latest epoch"]] as const).map(([value, label]) => (
          <label key={value} className="flex min-h-10 items-center gap-2 text-sm">
            <input type="radio" name="estimator-source" value={value} checked={source === value} onChange={() => setSource(value)} className="size-4 accent-accent" />
            {label}
          </label>
        ))}
      </fieldset>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <Fields legend="You" fields={yourFields} form={form} errors={errors} onChange={setForm} className="lg:col-start-1 lg:row-start-1" />
        <div className="min-w-0 lg:col-start-2 lg:row-span-2 lg:row-start-1">
          {source === "network" ? (
            <NetworkEstimate you={"you" in read ? read.you : null}>{(e) => <EstimateView result={e} />}</NetworkEstimate>
          ) : scenarioEstimate ? (
            <EstimateView result={scenarioEstimate} />
          ) : (
            <p className="text-sm text-muted" aria-live="polite">
              Correct the fields marked to see the estimate.
            </p>
          )}
        </div>
        {source === "scenario" && (
          <Fields legend="Everyone else, and the day" fields={OTHERS_FIELDS} form={form} errors={errors} onChange={setForm} className="lg:col-start-1 lg:row-start-2" />
        )}
      </div>
    </Card>
  );
}
