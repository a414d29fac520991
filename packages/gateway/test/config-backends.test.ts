// The upstream backends file: what it configures, and a readable error for each kind of mistake
// (an operator's typo must not silently fall back to a default or start without a key).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseBackendsConfig, readBackendsConfig } from "../src/config/backends.ts";

const env = { VLLM_KEY: "sk-upstream-secret" };
const parse = (doc: unknown) => parseBackendsConfig(JSON.stringify(doc), "b.json", env);

describe("backends file", () => {
  it("configures upstreams in file order, keys from the environment, model limits and retries", () => {
    const backends = parse({
      backends: [
        {
          name: "vllm-a",
          url: "http://10.0.0.5:8000/v1",
          apiKeyEnv: "VLLM_KEY",
          models: ["qwen3-30b-a3b-instruct", { id: "stories-260k", upstreamId: "stories", contextLength: 512, maxOutputTokens: 256 }],
          timeoutMs: 30_000,
          maxRetries: 0,
        },
        { url: "https://ollama.local/v1", models: ["qwen3-30b-a3b-instruct"] },
      ],
    });
    assert.deepEqual(backends, [
      {
        baseUrl: "http://10.0.0.5:8000/v1",
        name: "vllm-a",
        apiKey: "sk-upstream-secret",
        models: ["qwen3-30b-a3b-instruct", { id: "stories-260k", upstreamId: "stories", contextLength: 512, maxOutputTokens: 256 }],
        timeoutMs: 30_000,
        maxRetries: 0,
      },
      { baseUrl: "https://ollama.local/v1", models: ["qwen3-30b-a3b-instruct"] },
    ]);
  });

  it("names the file and the field of every mistake", () => {
    const cases: [unknown, RegExp][] = [
      [[], /b\.json: expected \{"backends": \[\.\.\.\]\}/],
      [{ backends: [{ url: "10.0.0.5:8000", models: ["m"] }] }, /backends\[0\]\.url: expected an http\(s\) URL/],
      [{ backends: [{ url: "http://h/v1", models: [] }] }, /backends\[0\]\.models: expected a non-empty list/],
      [{ backends: [{ url: "http://h/v1", models: ["m"], apiKeyEnv: "MISSING_KEY" }] }, /apiKeyEnv: the environment variable MISSING_KEY is not set/],
      [{ backends: [{ url: "http://h/v1", models: ["m"], timeout: 5 }] }, /backends\[0\]: unknown field timeout/],
      [{ backends: [{ url: "http://h/v1", models: [{ id: "m", context: 5 }] }] }, /models\[0\]: unknown field context/],
      [{ backends: [{ url: "http://h/v1", models: [{ id: "m", contextLength: 1.5 }] }] }, /contextLength: expected an integer >= 1/],
      [{ backends: [{ url: "http://h/v1", models: ["m"], maxRetries: -1 }] }, /maxRetries: expected an integer >= 0/],
      [{ backends: [{ url: "http://h/v1", models: [""] }] }, /models\[0\]: expected a non-empty string/],
    ];
    for (const [doc, error] of cases) assert.throws(() => parse(doc), error, JSON.stringify(doc));
    assert.throws(() => parseBackendsConfig("{nope", "b.json", env), /b\.json: not JSON/);
  });

  it("says when the file cannot be read", () => {
    const dir = mkdtempSync(join(tmpdir(), "fomo-backends-"));
    try {
      assert.throws(() => readBackendsConfig(join(dir, "missing.json"), env), /cannot read the backends file .*missing\.json: ENOENT/);
      const file = join(dir, "ok.json");
      writeFileSync(file, JSON.stringify({ backends: [{ url: "http://h/v1", models: ["m"] }] }));
      assert.deepEqual(readBackendsConfig(file, env), [{ baseUrl: "http://h/v1", models: ["m"] }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
