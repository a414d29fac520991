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

/** Absolute path of a model file: an absolute path as given, else the first search-path hit. */
export function findModelFile(file: string = DEFAULT_MODEL_FILE, searchPath: readonly string[] = modelSearchPath()): string {
  if (isAbsolute(file)) {
    if (existsSync(file)) return file;
    throw new Error(`model file not found: ${file}`);
  }
  for (const dir of searchPath) {
    const candidate = join(dir, file);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`model file ${file} not found in ${searchPath.join(", ")} (set FOMO_MODELS_DIR)`);
}
