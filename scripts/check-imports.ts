// Who may import whom (README.md#architecture), checked on every import, export-from, dynamic
// import() and require() in the code below, so that a layer cannot quietly start depending on one
// above it. `./fomo test` runs it before the package tests; by hand: `node scripts/check-imports.ts [ROOT]`.
// It exits 1 with one line per forbidden import (file:line, the import, the rule it breaks).
//
// Fails closed: a directory under packages/ or apps/ without an entry in RULES, or an `@fomo/…` import
// of a package not in RULES, is itself a violation, so a new package starts by stating what it may import.
// Imports are read by a small tokenizer (comments, strings, template literals and regular expressions
// skipped), not by regular expressions over the text, so a commented-out import does not count and a
// multi-line one does.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export interface Rule {
  /** How messages name this code. */
  label: string;
  /** Its package name ("name" in DIR/package.json), as others import it. */
  packageName: string;
  /** Its package directory, relative to the repository root. */
  dir: string;
  /** The code checked, relative to dir ("." for all of it). Test files inside are skipped unless `tests`. */
  code: readonly string[];
  /** The packages of ours it may import by name; "any" is every package in RULES. */
  may: readonly string[] | "any";
  /** Test code: may import test files and test support. */
  tests?: boolean;
  /** Test support: only tests and bench import it, never a package's src. */
  testSupport?: boolean;
  /** Repository directories outside dir it may import by a relative path (tooling, never a package). */
  outside?: readonly string[];
}

// The direction: contracts → (ABIs, written by contracts/scripts/export-abis.ts) → sdk ← ledger ←
// {engine, gateway, platform} ← cli; deploy ← cli; sim (sdk only) ← {cli, web}; the web app sees only the SDK and the simulator. Packages listed before
// they exist (ledger, testkit, engine, platform, web) take effect the moment their directory appears.
const PACKAGES: readonly Rule[] = [
  // The base: typed ABIs, math mirrors, actions. Its main entry is browser-safe (packages/sdk/test/browser.test.ts).
  { label: "@fomo/sdk", packageName: "@fomo/sdk", dir: "packages/sdk", code: ["src"], may: [] },
  { label: "@fomo/ledger", packageName: "@fomo/ledger", dir: "packages/ledger", code: ["src"], may: ["@fomo/sdk"] },
  // Reads contracts/artifacts as files (not an import), so the contracts never depend on the SDK.
  { label: "@fomo/deploy", packageName: "@fomo/deploy", dir: "packages/deploy", code: ["src"], may: ["@fomo/sdk"] },
  { label: "@fomo/gateway", packageName: "@fomo/gateway", dir: "packages/gateway", code: ["src"], may: ["@fomo/ledger", "@fomo/sdk"] },
  { label: "@fomo/engine", packageName: "@fomo/engine", dir: "packages/engine", code: ["src"], may: ["@fomo/ledger", "@fomo/sdk"] },
  { label: "@fomo/platform", packageName: "@fomo/platform", dir: "packages/platform", code: ["src"], may: ["@fomo/ledger", "@fomo/sdk"] },
  // The simulator runs the protocol's economics on the SDK's exact math alone: no chain, no database.
  { label: "@fomo/sim", packageName: "@fomo/sim", dir: "packages/sim", code: ["src"], may: ["@fomo/sdk"] },
  // The top: wires every process together, but never ships test support.
  {
    label: "@fomo/cli",
    packageName: "@fomo/cli",
    dir: "packages/cli",
    code: ["src"],
    may: ["@fomo/deploy", "@fomo/engine", "@fomo/gateway", "@fomo/ledger", "@fomo/platform", "@fomo/sdk", "@fomo/sim"],
  },
  { label: "@fomo/testkit", packageName: "@fomo/testkit", dir: "packages/testkit", code: ["src"], may: "any", testSupport: true },
];

export const RULES: readonly Rule[] = [
  ...PACKAGES,
  // A package's tests: its own src and tests, and every package of ours by name (@fomo/testkit for what
  // they share), but never another package's files by a path; scripts/ for the tests of the repository's tools.
  ...PACKAGES.map((r): Rule => ({ ...r, label: `${r.label} tests`, code: ["test"], may: "any", tests: true, testSupport: false, outside: ["scripts"] })),
  // The browser app: the SDK, and the simulator (SDK-only, browser-safe) for its simulator page; the
  // platform is reached over HTTP, never imported.
  { label: "@fomo/web", packageName: "@fomo/web", dir: "apps/web", code: ["src", "vite.config.ts"], may: ["@fomo/sdk", "@fomo/sim"] },
  // Its browser tests are test code: they start a stack (@fomo/testkit/up) and call it as a user would,
  // so any package of ours by name, but never another package's files by a path.
  { label: "@fomo/web browser tests", packageName: "@fomo/web", dir: "apps/web", code: ["e2e"], may: "any", tests: true },
  // Solidity plus its build (hardhat config, ABI export): the export writes the SDK's generated file, it
  // does not import the SDK, and no deployment code lives here (that is @fomo/deploy).
  { label: "@fomo/contracts", packageName: "@fomo/contracts", dir: "contracts", code: ["."], may: [] },
  // The contract tests check the SDK's mirrors against the chain, on chains @fomo/deploy builds.
  {
    label: "contract tests",
    packageName: "@fomo/contracts",
    dir: "contracts",
    code: ["test"],
    may: ["@fomo/deploy", "@fomo/sdk", "@fomo/testkit"],
    tests: true,
  },
  // Benchmarks measure the packages as users get them: by package name, never a path into one.
  { label: "bench", packageName: "@fomo/bench", dir: "bench", code: ["."], may: "any" },
];

export interface Known {
  file: string;
  import: string;
  why: string;
}

// Violations tolerated for now, each with the change that removes it. An entry that no longer matches
// fails the check, so it cannot outlive its reason.
export const KNOWN: readonly Known[] = [
];

export interface Violation {
  /** Relative to the root, with forward slashes. */
  file: string;
  line: number;
  /** The import's specifier; empty for a violation of the tree itself (an unlisted package). */
  import: string;
  rule: string;
}

export interface Report {
  files: number;
  imports: number;
  violations: Violation[];
  /** Violations matched by a KNOWN entry. */
  known: Violation[];
  /** KNOWN entries that matched nothing. */
  stale: Known[];
}

const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const SKIPPED_DIRS = new Set(["node_modules", "dist", "build", "artifacts", "cache", "coverage"]);
const TEST_DIRS = new Set(["test", "tests", "__tests__"]);
const BUILTINS = new Set(builtinModules);

const TEST_FILE = "code imports a test file: code never depends on tests (shared test support belongs in @fomo/testkit)";

const posix = (path: string) => path.split(sep).join("/");
const isTestPath = (path: string) => posix(path).split("/").some((part) => TEST_DIRS.has(part) || /\.(?:test|spec)\.[^/]+$/.test(part));

export function checkImports(root: string, rules: readonly Rule[] = RULES, known: readonly Known[] = KNOWN): Report {
  const report: Report = { files: 0, imports: 0, violations: [], known: [], stale: [] };

  for (const parent of ["packages", "apps"]) {
    if (!existsSync(join(root, parent))) continue;
    for (const name of readdirSync(join(root, parent)).sort()) {
      const dir = `${parent}/${name}`;
      if (!statSync(join(root, dir)).isDirectory() || name.startsWith(".")) continue;
      if (!rules.some((r) => r.dir === dir)) {
        report.violations.push({ file: `${dir}/`, line: 0, import: "", rule: `${dir} is not in the import rules: add it to RULES in scripts/check-imports.ts with the packages it may import` });
      }
    }
  }

  const named = new Set<string>();
  for (const rule of rules) {
    const manifest = join(root, rule.dir, "package.json");
    if (!existsSync(manifest)) continue;
    const name = (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name;
    // A directory with several rules (its code, its tests) has its name checked once.
    if (name !== rule.packageName && !named.has(rule.dir)) {
      report.violations.push({ file: `${rule.dir}/package.json`, line: 0, import: "", rule: `named ${name ?? "(nothing)"}, but RULES in scripts/check-imports.ts know ${rule.dir} as ${rule.packageName}` });
    }
    named.add(rule.dir);
    for (const code of rule.code) {
      for (const file of sourceFiles(join(root, rule.dir, code), rule.tests === true)) {
        report.files++;
        for (const { specifier, line } of importsOf(readFileSync(file, "utf8"))) {
          const broken = judge(root, rule, rules, file, specifier);
          if (broken === null) continue;
          if (broken !== undefined) {
            report.violations.push({ file: posix(relative(root, file)), line, import: specifier, rule: broken });
          }
          report.imports++;
        }
      }
    }
  }

  const tolerated = (v: Violation) => known.some((k) => k.file === v.file && k.import === v.import);
  report.known = report.violations.filter(tolerated);
  report.violations = report.violations.filter((v) => !tolerated(v));
  report.stale = known.filter((k) => !report.known.some((v) => v.file === k.file && v.import === k.import));
  return report;
}

function* sourceFiles(path: string, tests: boolean): Generator<string> {
  if (!existsSync(path)) return;
  if (statSync(path).isFile()) {
    if (SOURCE.test(path)) yield path;
    return;
  }
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(".") || (entry.isDirectory() && SKIPPED_DIRS.has(entry.name))) continue;
    // Tests are not the code a rule is about: they may reach test support the code may not.
    if (!tests && isTestPath(entry.name)) continue;
    const full = join(path, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(full, tests);
    else if (SOURCE.test(entry.name)) yield full;
  }
}

/**
 * The rule an import breaks, undefined when it is allowed and one of ours (counted), null when it is
 * not ours to judge (a Node built-in or a third-party package).
 */
function judge(root: string, rule: Rule, rules: readonly Rule[], file: string, specifier: string): string | undefined | null {
  if (specifier.startsWith(".") || specifier.startsWith("/")) {
    const target = posix(relative(root, resolve(dirname(file), specifier)));
    const home = rule.dir + "/";
    if (!target.startsWith(home) && !(rule.outside ?? []).some((dir) => target.startsWith(dir + "/"))) {
      const owner = rules.find((r) => target.startsWith(r.dir + "/"));
      const instead = isTestPath(target)
        ? "shared test support belongs in @fomo/testkit"
        : owner
          ? `import ${owner.packageName} by its package name`
          : "import it through a package";
      return `a relative path out of ${home} (to ${target}): ${instead}`;
    }
    if (!rule.tests && isTestPath(target.slice(home.length))) return TEST_FILE;
    return undefined;
  }
  const bare = specifier.startsWith("node:") ? specifier.slice(5) : specifier;
  if (BUILTINS.has(bare) || BUILTINS.has(bare.split("/")[0]!)) return null;
  if (!specifier.startsWith("@fomo/")) return null;

  const name = specifier.split("/").slice(0, 2).join("/");
  const target = rules.find((r) => r.packageName === name);
  if (!target) return `${name} is not in the import rules: add it to RULES in scripts/check-imports.ts with the packages it may import`;
  if (!rule.tests && isTestPath(specifier.slice(name.length))) return TEST_FILE;
  if (target.packageName === rule.packageName) return undefined;
  const may = rule.may === "any" ? rules.map((r) => r.packageName) : rule.may;
  if (may.includes(name)) return undefined;
  if (target.testSupport) return `${name} is test support: tests and bench import it, ${rule.label} does not`;
  return may.length === 0
    ? `${rule.label} may import no package of ours`
    : `${rule.label} may import only ${may.join(", ")}`;
}


interface Token {
  kind: "name" | "string" | "value" | "punct";
  text: string;
  line: number;
}

// After these words an expression starts, so a `/` begins a regular expression, not a division.
const BEFORE_EXPRESSION = new Set(["return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await"]);

/** The module specifiers of a TypeScript/JavaScript source: static, export-from, import(), require(). */
export function importsOf(source: string): Array<{ specifier: string; line: number }> {
  const tokens = tokenize(source);
  const found: Array<{ specifier: string; line: number }> = [];
  const word = (k: number, text: string) => tokens[k]?.kind === "name" && tokens[k]!.text === text && tokens[k - 1]?.text !== ".";
  tokens.forEach((token, k) => {
    if (token.kind !== "string") return;
    const prev = tokens[k - 1];
    if (!prev) return;
    const isImport =
      word(k - 1, "from") || // import … from "x", export … from "x"
      word(k - 1, "import") || // import "x"
      (prev.text === "(" && (word(k - 2, "import") || word(k - 2, "require"))); // import("x"), require("x")
    if (isImport) found.push({ specifier: token.text, line: token.line });
  });
  return found;
}

function tokenize(source: string): Token[] {
  const out: Token[] = [];
  const n = source.length;
  let i = source.startsWith("#!") ? source.indexOf("\n") : 0;
  if (i < 0) return out;
  let line = 1;
  let depth = 0;
  // For each template literal whose ${…} is open: the brace depth its closing `}` returns to.
  const templates: number[] = [];

  const skipTo = (end: number) => {
    for (let j = i; j < end; j++) if (source[j] === "\n") line++;
    i = end;
  };
  /** From just inside a template literal (after ` or }) to its end or its next ${. */
  const templateRest = () => {
    const start = line;
    let j = i;
    while (j < n) {
      if (source[j] === "\\") j += 2;
      else if (source[j] === "`") {
        skipTo(j + 1);
        out.push({ kind: "value", text: "`", line: start });
        return;
      } else if (source[j] === "$" && source[j + 1] === "{") {
        skipTo(j + 2);
        templates.push(depth);
        return;
      } else j++;
    }
    skipTo(n);
  };
  const regexAllowed = () => {
    const prev = out.at(-1);
    if (!prev) return true;
    if (prev.kind === "name") return BEFORE_EXPRESSION.has(prev.text);
    if (prev.kind !== "punct") return false;
    return prev.text !== ")" && prev.text !== "]" && prev.text !== "}";
  };

  while (i < n) {
    const c = source[i]!;
    if (c === "\n") {
      line++;
      i++;
    } else if (c === " " || c === "\t" || c === "\r") {
      i++;
    } else if (c === "/" && source[i + 1] === "/") {
      const end = source.indexOf("\n", i);
      i = end < 0 ? n : end;
    } else if (c === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      skipTo(end < 0 ? n : end + 2);
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let text = "";
      while (j < n && source[j] !== c && source[j] !== "\n") {
        if (source[j] === "\\") j++;
        text += source[j] ?? "";
        j++;
      }
      if (source[j] === c) {
        out.push({ kind: "string", text, line });
        i = j + 1;
      } else {
        // Not a string after all (an apostrophe in JSX text): a lone character.
        out.push({ kind: "punct", text: c, line });
        i++;
      }
    } else if (c === "`") {
      i++;
      templateRest();
    } else if (c === "}" && templates.length > 0 && templates.at(-1) === depth) {
      templates.pop();
      i++;
      templateRest();
    } else if (c === "/" && regexAllowed()) {
      let j = i + 1;
      let inClass = false;
      while (j < n && source[j] !== "\n" && (inClass || source[j] !== "/")) {
        if (source[j] === "\\") j++;
        else if (source[j] === "[") inClass = true;
        else if (source[j] === "]") inClass = false;
        j++;
      }
      if (source[j] === "/") {
        j++;
        while (j < n && /[a-z]/i.test(source[j]!)) j++;
        out.push({ kind: "value", text: "/", line });
        i = j;
      } else {
        out.push({ kind: "punct", text: c, line });
        i++;
      }
    } else if (/[A-Za-z_$\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < n && /[\w$\u0080-\uffff]/.test(source[j]!)) j++;
      out.push({ kind: "name", text: source.slice(i, j), line });
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && /[\w.]/.test(source[j]!)) j++;
      out.push({ kind: "value", text: source.slice(i, j), line });
      i = j;
    } else {
      if (c === "{") depth++;
      else if (c === "}") depth--;
      out.push({ kind: "punct", text: c, line });
      i++;
    }
  }
  return out;
}

export function formatReport(report: Report): string {
  const where = (v: Violation) => (v.line > 0 ? `${v.file}:${v.line}` : v.file);
  const lines: string[] = [];
  for (const v of report.known) lines.push(`known: ${where(v)}: import "${v.import}": ${v.rule}`);
  for (const k of report.stale) {
    lines.push(`stale: ${k.file} no longer imports "${k.import}": remove its entry from KNOWN in scripts/check-imports.ts`);
  }
  for (const v of report.violations) lines.push(v.import ? `${where(v)}: import "${v.import}": ${v.rule}` : `${where(v)}: ${v.rule}`);
  const failed = report.violations.length + report.stale.length;
  lines.push(
    `import rules (scripts/check-imports.ts, README.md#architecture): ${report.files} files, ${report.imports} imports of ours; ` +
      (failed ? `${failed} violation${failed === 1 ? "" : "s"}` : "ok") +
      (report.known.length ? `, ${report.known.length} known` : ""),
  );
  return lines.join("\n");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), ".."));
  const report = checkImports(root);
  console.log(formatReport(report));
  process.exitCode = report.violations.length + report.stale.length > 0 ? 1 : 0;
}
