// The upstream backends file (`fomo gateway --backends FILE`): OpenAI-compatible upstreams by URL,
// each with the models it serves and the environment variable holding its key (the file never holds
// a secret). For a model several upstreams serve, the file's order is the failover order.
//
// {"backends": [{"name": "vllm-a", "url": "http://10.0.0.5:8000/v1", "apiKeyEnv": "VLLM_A_KEY",
//                "models": ["qwen3-30b-a3b-instruct", {"id": "…", "upstreamId": "…", "contextLength": 32768,
//                           "maxOutputTokens": 4096}], "timeoutMs": 300000, "maxRetries": 1}]}
import { readFileSync } from "node:fs";
import type { OpenAICompatibleOptions, UpstreamModelConfig } from "../backends/index.ts";

const BACKEND_FIELDS = ["name", "url", "apiKeyEnv", "models", "timeoutMs", "maxRetries"];
const MODEL_FIELDS = ["id", "upstreamId", "contextLength", "maxOutputTokens"];

type Json = Record<string, unknown>;

/** Where the `apiKeyEnv` names are looked up: the process's environment (config/env.ts operatorNamedVariables). */
export type UpstreamKeys = Readonly<Record<string, string | undefined>>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Checks a backends document; returns the options of each OpenAICompatibleBackend, in failover order. */
export function parseBackendsConfig(json: string, source = "backends", env: UpstreamKeys): OpenAICompatibleOptions[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new Error(`${source}: not JSON (${(e as Error).message})`);
  }
  if (!isObject(raw) || !Array.isArray(raw.backends)) throw new Error(`${source}: expected {"backends": [...]}`);
  return raw.backends.map((b: unknown, i) => backend(b, `${source}: backends[${i}]`, env));
}

export function readBackendsConfig(path: string, env: UpstreamKeys): OpenAICompatibleOptions[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`cannot read the backends file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseBackendsConfig(text, path, env);
}

function backend(b: unknown, where: string, env: UpstreamKeys): OpenAICompatibleOptions {
  if (!isObject(b)) throw new Error(`${where}: not an object`);
  onlyFields(b, BACKEND_FIELDS, where);
  const url = b.url;
  if (typeof url !== "string" || !/^https?:\/\/[^/]/.test(url)) throw new Error(`${where}.url: expected an http(s) URL up to /v1, got ${JSON.stringify(url)}`);
  if (!Array.isArray(b.models) || b.models.length === 0) throw new Error(`${where}.models: expected a non-empty list of model ids`);
  const options: OpenAICompatibleOptions = { baseUrl: url, models: b.models.map((m: unknown, j) => model(m, `${where}.models[${j}]`)) };
  if (b.name !== undefined) options.name = text(b.name, `${where}.name`);
  if (b.apiKeyEnv !== undefined) {
    const name = text(b.apiKeyEnv, `${where}.apiKeyEnv`);
    const key = env[name];
    if (!key) throw new Error(`${where}.apiKeyEnv: the environment variable ${name} is not set`);
    options.apiKey = key;
  }
  if (b.timeoutMs !== undefined) options.timeoutMs = count(b.timeoutMs, `${where}.timeoutMs`, 1);
  if (b.maxRetries !== undefined) options.maxRetries = count(b.maxRetries, `${where}.maxRetries`, 0);
  return options;
}

function model(m: unknown, where: string): string | UpstreamModelConfig {
  if (typeof m === "string") return text(m, where);
  if (!isObject(m)) throw new Error(`${where}: expected a model id or {"id": …}`);
  onlyFields(m, MODEL_FIELDS, where);
  const config: UpstreamModelConfig = { id: text(m.id, `${where}.id`) };
  if (m.upstreamId !== undefined) config.upstreamId = text(m.upstreamId, `${where}.upstreamId`);
  if (m.contextLength !== undefined) config.contextLength = count(m.contextLength, `${where}.contextLength`, 1);
  if (m.maxOutputTokens !== undefined) config.maxOutputTokens = count(m.maxOutputTokens, `${where}.maxOutputTokens`, 1);
  return config;
}

/** A typo'd field would silently fall back to a default: refuse it. */
function onlyFields(o: Json, allowed: readonly string[], where: string): void {
  const unknown = Object.keys(o).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new Error(`${where}: unknown field ${unknown.join(", ")} (allowed: ${allowed.join(", ")})`);
}

function text(v: unknown, where: string): string {
  if (typeof v !== "string" || v.trim() === "") throw new Error(`${where}: expected a non-empty string`);
  return v;
}

function count(v: unknown, where: string, min: number): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min) throw new Error(`${where}: expected an integer >= ${min}`);
  return v;
}
