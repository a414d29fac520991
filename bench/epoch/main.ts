// bench/epoch: settling one epoch at scale (issue 14 §4). For each database (a temporary SQLite file,
// and a throwaway PostgreSQL when one is available or DATABASE_URL names one) and each scale, it fills
// the ledger with one epoch of usage (generate.ts), then settles it in a child process (settle.ts) so
// the wall time and the peak RSS are the settlement's alone, stage by stage — twice, side by side:
// leaves hashed on the main thread (the baseline) and on worker threads (as the keeper runs).
// Usage: node bench/epoch/main.ts [--deployments 1000] [--accounts 100000] [--records 2000000]
//        [--scales 1,10] [--databases sqlite,postgres] [--threads N] [--json]
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { openDatabase } from "@fomo/ledger";
import { postgresAvailability, startPostgres, type PostgresServer } from "@fomo/testkit/postgres";
import { generateEpoch } from "./generate.ts";

const { values } = parseArgs({
  options: {
    deployments: { type: "string", default: "1000" },
    accounts: { type: "string", default: "100000" },
    records: { type: "string", default: "2000000" },
    scales: { type: "string", default: "1,10" },
    databases: { type: "string", default: "sqlite,postgres" },
    seed: { type: "string", default: "14" },
    threads: { type: "string", default: String(availableParallelism()) },
    json: { type: "boolean", default: false },
  },
});
const say = (line: string) => void (values.json ? undefined : process.stderr.write(`${line}\n`));

// One epoch: a UTC day far from any real one.
const FROM_MS = 20_000 * 86_400_000;
const TO_MS = FROM_MS + 86_400_000;

interface Result {
  database: string;
  threads: number;
  records: number;
  deployments: number;
  accounts: number;
  generateSeconds: number;
  settleSeconds: number;
  stagesMs: Record<string, number>;
  peakRssMiB: number;
}

let postgres: PostgresServer | undefined;
async function target(kind: string): Promise<{ target: string; cleanup: () => void }> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "fomo-bench-epoch-"));
    return { target: dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  }
  postgres ??= await startPostgres();
  return { target: await postgres.createDatabase(), cleanup: () => {} };
}

const results: Result[] = [];
const kinds = values.databases.split(",").filter((k) => {
  if (k !== "postgres") return true;
  const pg = postgresAvailability();
  if (!pg.available) say(`postgres skipped: ${pg.reason}`);
  return pg.available;
});
try {
  for (const scale of values.scales.split(",").map(Number)) {
    for (const kind of kinds) {
      const records = Number(values.records) * scale;
      const { target: where, cleanup } = await target(kind);
      try {
        say(`${kind}: generating ${records.toLocaleString("en")} usage records…`);
        const db = await openDatabase(where.includes("://") ? where : { dataDir: where });
        const t0 = performance.now();
        await generateEpoch(db, {
          deployments: Number(values.deployments),
          accounts: Number(values.accounts),
          records,
          fromMs: FROM_MS,
          toMs: TO_MS,
          seed: Number(values.seed),
          progress: (done, total) => done % 200_000 === 0 && say(`  ${done.toLocaleString("en")} / ${total.toLocaleString("en")}`),
        });
        const generateSeconds = (performance.now() - t0) / 1000;
        await db.destroy();
        for (const threads of [0, Number(values.threads)]) {
          say(`${kind}: settling with ${threads} hashing threads…`);
          const t1 = performance.now();
          const out = execFileSync(
            process.execPath,
            [join(import.meta.dirname, "settle.ts"), "--db", where, "--from", String(FROM_MS), "--to", String(TO_MS), "--threads", String(threads)],
            { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 24 },
          );
          const settled = JSON.parse(out.trim().split("\n").at(-1)!) as { stages: Record<string, number>; maxRssMiB: number; records: number };
          if (settled.records !== records) throw new Error(`settled ${settled.records} records of ${records}`);
          const result: Result = {
            database: kind,
            threads,
            records,
            deployments: Number(values.deployments),
            accounts: Number(values.accounts),
            generateSeconds: Math.round(generateSeconds),
            settleSeconds: Math.round((performance.now() - t1) / 100) / 10,
            stagesMs: settled.stages,
            peakRssMiB: settled.maxRssMiB,
          };
          results.push(result);
          say(`${kind} ×${scale}, ${threads} threads: settle ${result.settleSeconds} s, peak RSS ${result.peakRssMiB} MiB, stages ${JSON.stringify(result.stagesMs)}`);
        }
      } finally {
        cleanup();
      }
    }
  }
} finally {
  await postgres?.stop();
}
if (values.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
else console.table(results.map(({ stagesMs, ...r }) => ({ ...r, ...stagesMs })));
