// The model files the repository ships (models/README.md) are pinned by sha256: a file of that name
// that is not those bytes (a truncated copy, a Git LFS pointer, another model renamed) is refused
// at load, before llama.cpp reads it, because the templates' prices and token counts assume it.
// Each file is hashed once per process; a file replaced on disk (another size, mtime or inode) is
// hashed again.
import { createHash } from "node:crypto";
import { createReadStream, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { DEFAULT_MODEL_FILE, REPO_MODELS_DIR } from "./models.ts";

/** The repository's own models: file name -> sha256 of its bytes. */
export const SHIPPED_MODELS: Readonly<Record<string, string>> = {
  [DEFAULT_MODEL_FILE]: "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d",
};

/** The default model in the repository, whatever the working directory. */
export const DEFAULT_MODEL_PATH = join(REPO_MODELS_DIR, DEFAULT_MODEL_FILE);

const hashes = new Map<string, { version: string; sha256: Promise<string> }>();

/** sha256 (hex) of a file, computed once per version of it on disk. */
export function sha256OfFile(path: string): Promise<string> {
  const { size, mtimeMs, ino } = statSync(path);
  const version = `${size}:${mtimeMs}:${ino}`;
  const known = hashes.get(path);
  if (known?.version === version) return known.sha256;
  const hash = createHash("sha256");
  const sha256 = pipeline(createReadStream(path), hash).then(() => hash.digest("hex"));
  hashes.set(path, { version, sha256 });
  sha256.catch(() => {
    if (hashes.get(path)?.sha256 === sha256) hashes.delete(path);
  });
  return sha256;
}

/**
 * `path` itself when it may be loaded: a shipped model's name must carry the shipped bytes; any
 * other file (an operator's own model) is not pinned here.
 */
export async function verifiedModelFile(path: string): Promise<string> {
  const name = basename(path);
  const expected = SHIPPED_MODELS[name];
  if (expected === undefined) return path;
  const actual = await sha256OfFile(path);
  if (actual === expected) return path;
  const remedy =
    dirname(path) === REPO_MODELS_DIR
      ? `Restore the repository's copy: git checkout -- models/${name}`
      : `Replace it with the repository's models/${name}, or stop pointing FOMO_MODELS_DIR (or the model path) at it`;
  throw new Error(
    `model file ${path} is not the ${name} this repository ships: its sha256 is ${actual}, expected ${expected}. ` +
      `${remedy} (a Git LFS pointer or a partial download fails this way; models/README.md says where the file comes from).`,
  );
}
