// The default model ships in models/ and is checked by sha256 before it is loaded: the repository's
// file passes, a file of the same name with other bytes is refused with both hashes and the remedy.
// Expected hashes are computed here with node:crypto from the bytes on disk, and the pinned one is
// the hash models/README.md publishes.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { LocalBackend } from "../src/backends/local.ts";
import { DEFAULT_MODEL_PATH, sha256OfFile, SHIPPED_MODELS, verifiedModelFile } from "../src/backends/model-file.ts";
import { DEFAULT_MODEL_FILE, findModelFile, modelSearchPath, REPO_ROOT } from "../src/backends/models.ts";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const shipped = readFileSync(DEFAULT_MODEL_PATH);

describe("the shipped default model", () => {
  const dir = mkdtempSync(join(tmpdir(), "fomo-model-file-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("is in the repository's models/, found there first, with the size and sha256 models/README.md publishes", async () => {
    assert.equal(DEFAULT_MODEL_PATH, join(REPO_ROOT, "models", "stories260K.gguf"));
    assert.equal(findModelFile(DEFAULT_MODEL_FILE, modelSearchPath()), DEFAULT_MODEL_PATH);
    const readme = readFileSync(join(REPO_ROOT, "models/README.md"), "utf8");
    assert.equal(statSync(DEFAULT_MODEL_PATH).size, 1_185_376);
    assert.ok(readme.includes("1,185,376 bytes"), "README states the size");
    assert.ok(readme.includes(sha256(shipped)), "README states the file's sha256");
    assert.equal(SHIPPED_MODELS[DEFAULT_MODEL_FILE], sha256(shipped));
    assert.equal(await verifiedModelFile(DEFAULT_MODEL_PATH), DEFAULT_MODEL_PATH);
  });

  it("refuses a file of that name with other bytes, naming the expected and actual sha256 and the remedy", async () => {
    const corrupt = Buffer.from(shipped);
    corrupt[corrupt.length - 1]! ^= 0xff; // one flipped byte in the last tensor
    const path = join(dir, DEFAULT_MODEL_FILE);
    writeFileSync(path, corrupt);
    const refusal = (err: Error) =>
      err.message.includes(path) &&
      err.message.includes(`its sha256 is ${sha256(corrupt)}, expected ${sha256(shipped)}`) &&
      err.message.includes("models/stories260K.gguf");
    await assert.rejects(verifiedModelFile(path), refusal);
    // The local backend's load path, as FOMO_MODELS_DIR would lead it there.
    await assert.rejects(LocalBackend.create({ searchPath: [dir] }), refusal);
  });

  it("refuses a Git LFS pointer in place of the model", async () => {
    const pointer = Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha256(shipped)}\nsize 1185376\n`);
    mkdirSync(join(dir, "lfs"));
    const path = join(dir, "lfs", DEFAULT_MODEL_FILE);
    writeFileSync(path, pointer);
    await assert.rejects(verifiedModelFile(path), (err: Error) => err.message.includes(`its sha256 is ${sha256(pointer)}`));
  });

  it("hashes a file again once it is replaced on disk, so a good hash is never reused for other bytes", async () => {
    mkdirSync(join(dir, "replaced"));
    const path = join(dir, "replaced", DEFAULT_MODEL_FILE);
    copyFileSync(DEFAULT_MODEL_PATH, path);
    assert.equal(await verifiedModelFile(path), path);
    assert.equal(await sha256OfFile(path), sha256(shipped));
    writeFileSync(path, shipped.subarray(0, shipped.length - 1)); // truncated in place
    await assert.rejects(verifiedModelFile(path), /is not the stories260K\.gguf this repository ships/);
  });

  it("leaves files it does not pin alone", async () => {
    const path = join(dir, "my-model.gguf");
    writeFileSync(path, "not checked here");
    assert.equal(await verifiedModelFile(path), path);
  });
});
