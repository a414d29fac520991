// bench/epoch: settling one epoch at scale (issue 14 §4). For each database (a temporary SQLite file,
// and a throwaway PostgreSQL when one is available or DATABASE_URL names one) and each scale, it fills
// the ledger with one epoch of usage (generate.ts), then settles it in a child process (settle.ts) so
// the wall time and the peak RSS are the settlement's alone, stage by stage — twice, side by side:
// leaves hashed on the main thread (the baseline) and on worker threads (as the keeper runs).
// Usage: node bench/epoch/main.ts [--deployments 1000] [--accounts 100000] [--records 2000000]
//        [--scales 1,10] [--databases sqlite,postgres,memory] [--threads 0,N] [--json]
// (--databases memory: no database; settle.ts --synthetic draws the same records in memory, for the
// rewards, the input file and verify's read at a scale a loaded machine cannot fill a database with.)
// (--threads: the hashing threads of each settlement run, a list: 0 hashes on the main thread.)
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
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
    threads: { type: "string", default: `0,${availableParallelism()}` },
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
  inputFileMiB: number;
  /** The 1-minute load average when the settlement ended (a shared machine). */
  load: number;
  verifyReadSeconds: number;
  verifyStagesMs: Record<string, number>;
  verifyPeakRssMiB: number;
}

/** The last line settle.ts and read.ts print. */
interface Settled {
  stages: Record<string, number>;
  maxRssMiB: number;
  records: number;
  inputFileMiB: number;
  hash: string;
  allotments: number;
  allotted: string;
}

let postgres: PostgresServer | undefined;
async function target(kind: string): Promise<{ target: string; cleanup: () => void }> {
  if (kind === "memory") return { target: "", cleanup: () => {} };
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "fomo-bench-epoch-"));
    return { target: dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  }
  postgres ??= await startPostgres();
  return { target: await postgres.createDatabase(), cleanup: () => {} };
}

/** Where each settlement writes its input file (gigabytes at ×10). */
const scratch = mkdtempSync(join(tmpdir(), "fomo-bench-epoch-file-"));
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
      const generation = {
        deployments: Number(values.deployments), accounts: Number(values.accounts), records, fromMs: FROM_MS, toMs: TO_MS, seed: Number(values.seed),
      };
      try {
        const t0 = performance.now();
        if (kind !== "memory") {
          say(`${kind}: generating ${records.toLocaleString("en")} usage records…`);
          const db = await openDatabase(where.includes("://") ? where : { dataDir: where });
          await generateEpoch(db, {
            ...generation,
            progress: (done, total) => done % 200_000 === 0 && say(`  ${done.toLocaleString("en")} / ${total.toLocaleString("en")}`),
          });
          await db.destroy();
        }
        const generateSeconds = (performance.now() - t0) / 1000;
        const source =
          kind === "memory"
            ? ["--synthetic", ...Object.entries(generation).filter(([k]) => !k.endsWith("Ms")).flatMap(([k, v]) => [`--${k}`, String(v)])]
            : ["--db", where];
        for (const threads of new Set(values.threads.split(",").map(Number))) {
          say(`${kind}: settling with ${threads} hashing threads…`);
          const t1 = performance.now();
          const out = execFileSync(
            process.execPath,
            [join(import.meta.dirname, "settle.ts"), ...source, "--from", String(FROM_MS), "--to", String(TO_MS), "--threads", String(threads), "--out", join(scratch, "epoch.json")],
            { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 24 },
          );
          const settled = JSON.parse(out.trim().split("\n").at(-1)!) as Settled;
          if (settled.records !== records) throw new Error(`settled ${settled.records} records of ${records}`);
          const settleSeconds = Math.round((performance.now() - t1) / 100) / 10;
          const load = loadavg()[0]!;
          // The verifier's read of the file, in a process of its own: the same bytes, hash and rewards.
          const t2 = performance.now();
          const readOut = execFileSync(process.execPath, [join(import.meta.dirname, "read.ts"), "--file", join(scratch, "epoch.json")], {
            encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 24,
          });
          const read = JSON.parse(readOut.trim().split("\n").at(-1)!) as Settled;
          if (read.hash !== settled.hash || read.allotted !== settled.allotted || read.allotments !== settled.allotments) {
            throw new Error(`the file read back (${read.hash}, ${read.allotments} allotments) is not the one written (${settled.hash}, ${settled.allotments})`);
          }
          const result: Result = {
            database: kind,
            threads,
            records,
            deployments: Number(values.deployments),
            accounts: Number(values.accounts),
            generateSeconds: Math.round(generateSeconds),
            settleSeconds,
            stagesMs: settled.stages,
            peakRssMiB: settled.maxRssMiB,
            inputFileMiB: settled.inputFileMiB,
            load,
            verifyReadSeconds: Math.round((performance.now() - t2) / 100) / 10,
            verifyStagesMs: read.stages,
            verifyPeakRssMiB: read.maxRssMiB,
          };
          results.push(result);
          say(
            `${kind} ×${scale}, ${threads} threads: settle ${settleSeconds} s, peak RSS ${result.peakRssMiB} MiB, input file ${result.inputFileMiB} MiB, ` +
              `stages ${JSON.stringify(result.stagesMs)}, load ${load.toFixed(1)}; verify's read ${result.verifyReadSeconds} s, ` +
              `peak RSS ${result.verifyPeakRssMiB} MiB, stages ${JSON.stringify(result.verifyStagesMs)}`,
          );
        }
      } finally {
        cleanup();
      }
    }
  }
} finally {
  await postgres?.stop();
  rmSync(scratch, { recursive: true, force: true });
}
if (values.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
else console.table(results.map(({ stagesMs, verifyStagesMs, ...r }) => ({ ...r, ...stagesMs, ...Object.fromEntries(Object.entries(verifyStagesMs).map(([k, v]) => [`verify ${k}`, v])) })));
