// The SDK's actions keep viem's shape (docs: README, "Using the SDK in a browser"): every function
// that takes a client exports `<Name>Parameters` (unless it takes nothing but the client and the
// contract) and `<Name>ReturnType` from the main entry by name, and its JSDoc shows an @example. Read
// from the sources, so a new action that skips any of it fails here rather than in an app's editor.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

const ACTION_MODULES = ["buyback", "credits", "gmflock", "launchpad", "modeltoken", "registry", "revenue", "rewards", "staking", "tokens"];
const source = (module: string) => readFileSync(new URL(`../src/${module}.ts`, import.meta.url), "utf8");
const index = source("index");

/** The text between the parenthesis at `open` and its match. */
function parenthesised(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error(`unbalanced parenthesis at ${open}`);
}

/** Top-level comma-separated parts of a parameter list (commas inside braces, brackets or generics do not split). */
function topLevelParts(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of list) {
    if ("({[<".includes(ch)) depth++;
    else if (")}]>".includes(ch)) depth--;
    if (ch === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean);
}

interface Action {
  module: string;
  name: string;
  doc: string;
  /** Arguments after the client and, when there is one, the contract ref. */
  extra: string[];
}

function actionsOf(module: string): Action[] {
  const text = source(module);
  const found: Action[] = [];
  for (const m of text.matchAll(/^export (?:async )?function (\w+)(?:<[^(]*>)?\(/gm)) {
    const params = topLevelParts(parenthesised(text, m.index + m[0].length - 1));
    if (!/^clients?: (PublicClient|Clients)$/.test(params[0] ?? "")) continue;
    const before = text.slice(0, m.index);
    const doc = before.endsWith("*/\n") ? before.slice(before.lastIndexOf("/**")) : "";
    const extra = params.slice(1).filter((p) => !/^ref: \w+Ref$/.test(p));
    found.push({ module, name: m[1]!, doc, extra });
  }
  return found;
}

const actions = ACTION_MODULES.flatMap(actionsOf);
const exportedByName = (name: string) => new RegExp(`[{,\\s]${name}[,\\s}]`).test(index);
const capital = (name: string) => name[0]!.toUpperCase() + name.slice(1);

describe("SDK actions in viem's shape", () => {
  it("finds the actions of every module", () => {
    for (const module of ACTION_MODULES) assert.ok(actions.some((a) => a.module === module), `no action found in ${module}.ts`);
    assert.ok(actions.length >= 70, `only ${actions.length} actions found: the scan is broken`);
    assert.ok(!/^export \*/m.test(index), "index.ts exports by name, never `export *`");
  });

  it("documents each with an @example", () => {
    const missing = actions.filter((a) => !/\n \* @example\n \* \S/.test(a.doc)).map((a) => `${a.module}.${a.name}`);
    assert.deepEqual(missing, []);
  });

  it("exports each one's Parameters and ReturnType types by name from the main entry", () => {
    const missing = actions.flatMap((a) => {
      const wanted = [`${capital(a.name)}ReturnType`, ...(a.extra.length > 0 ? [`${capital(a.name)}Parameters`] : [])];
      return wanted.filter((type) => !exportedByName(type) || !new RegExp(`export (type|interface) ${type}\\b`).test(source(a.module)));
    });
    assert.deepEqual(missing, []);
  });

  it("types each action's parameters and result with them", () => {
    const untyped = actions.flatMap((a) => {
      const text = source(a.module);
      const start = text.search(new RegExp(`^export (async )?function ${a.name}\\b`, "m"));
      const signature = text.slice(start, text.indexOf("{\n", start));
      const wanted = [`${capital(a.name)}ReturnType`, ...(a.extra.length > 0 ? [`${capital(a.name)}Parameters`] : [])];
      return wanted.filter((type) => !signature.includes(type)).map((type) => `${a.module}.${a.name} does not use ${type}`);
    });
    assert.deepEqual(untyped, []);
  });
});
