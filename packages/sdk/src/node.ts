// @fomo/sdk/node: the parts of the SDK that need Node's file system. They stay out of the main entry
// so that `@fomo/sdk` bundles for the browser (test/browser.test.ts holds it to that).
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { parseDeployments, type Deployments } from "./deployments.ts";

export function readDeployments(path: string): Deployments {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new Error(`no deployments file at ${path}: start the local stack (./fomo up) or deploy first`);
  }
  return parseDeployments(text, path);
}

export function writeDeployments(path: string, d: Deployments): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(d, null, 2) + "\n");
}
