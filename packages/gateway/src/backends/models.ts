// Where GGUF files are looked for: $FOMO_MODELS_DIR, then <repo>/models (the default model ships there).
// The repository paths are resolved from this file, not from the working directory, so the gateway
// finds the default model whichever directory it is started from.
import { existsSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";

/** packages/gateway/src/backends -> repository root. */
export const REPO_ROOT = resolve(import.meta.dirname, "../../../..");

/** The repository's models directory, where the default model ships (models/README.md). */
export const REPO_MODELS_DIR = join(REPO_ROOT, "models");

export const DEFAULT_MODEL_FILE = "stories260K.gguf";

/** `modelsDir` (FOMO_MODELS_DIR), then the repository's models directory. */
export function modelSearchPath(modelsDir?: string): string[] {
  const dirs: string[] = [];
  // An operator's relative FOMO_MODELS_DIR means relative to where they started the process.
  if (modelsDir) dirs.push(resolve(modelsDir));
  dirs.push(REPO_MODELS_DIR);
  return dirs;
}

/** Absolute path of a model file: an absolute path as given, else the first search-path hit; undefined when absent. */
export function locateModelFile(file: string = DEFAULT_MODEL_FILE, searchPath: readonly string[] = modelSearchPath()): string | undefined {
  if (isAbsolute(file)) return existsSync(file) ? file : undefined;
  return searchPath.map((dir) => join(dir, file)).find((candidate) => existsSync(candidate));
}

/** locateModelFile, failing with where it looked when the file is absent. */
export function findModelFile(file: string = DEFAULT_MODEL_FILE, searchPath: readonly string[] = modelSearchPath()): string {
  const found = locateModelFile(file, searchPath);
  if (found) return found;
  if (isAbsolute(file)) throw new Error(`model file not found: ${file}`);
  throw new Error(`model file ${file} not found in ${searchPath.join(", ")} (set FOMO_MODELS_DIR)`);
}
