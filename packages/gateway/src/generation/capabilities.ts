// Request parameters that change what a model must produce (tool calls, JSON, logprobs, several
// choices...). A backend that cannot honour one must not ignore it: the client would be billed for
// an answer that is not the one it asked for. Each is either honoured (the backend lists the
// capability) or refused with a 400 naming the parameter.
import type { Capability } from "../backends/types.ts";
import { invalidRequest, type ApiError } from "../errors/index.ts";

type Body = Record<string, unknown>;

interface Feature {
  param: string;
  /** The capability that honours it; none: no backend here does. */
  capability?: Capability;
  /** Whether the request asks for it (a value meaning "off" asks for nothing). */
  asked(value: unknown, body: Body): boolean;
}

const present = (value: unknown) => value !== undefined && value !== null;
const nonEmptyArray = (value: unknown) => Array.isArray(value) && value.length > 0;
const nonEmptyObject = (value: unknown) => typeof value === "object" && value !== null && Object.keys(value).length > 0;

const shared: readonly Feature[] = [
  { param: "logit_bias", capability: "logit_bias", asked: nonEmptyObject },
];

const chatFeatures: readonly Feature[] = [
  { param: "tools", capability: "tools", asked: nonEmptyArray },
  // "none" and "auto" only mean something with tools (refused above); any other choice forces a call.
  { param: "tool_choice", capability: "tools", asked: (v, body) => present(v) && v !== "none" && !(v === "auto" && !nonEmptyArray(body.tools)) },
  { param: "functions", capability: "tools", asked: nonEmptyArray },
  { param: "function_call", capability: "tools", asked: (v) => present(v) && v !== "none" && v !== "auto" },
  { param: "response_format", capability: "json_output", asked: (v) => present(v) && (v as { type?: unknown }).type !== "text" },
  { param: "logprobs", capability: "logprobs", asked: (v) => v === true },
  { param: "top_logprobs", capability: "logprobs", asked: present },
  // Text out only: audio output and predicted outputs are not produced by any backend here.
  { param: "modalities", asked: (v) => Array.isArray(v) && v.some((m) => m !== "text") },
  { param: "audio", asked: present },
  { param: "prediction", asked: present },
  ...shared,
];

const completionFeatures: readonly Feature[] = [
  { param: "logprobs", capability: "logprobs", asked: (v) => present(v) && v !== 0 && v !== false },
  { param: "echo", asked: (v) => v === true },
  { param: "best_of", asked: (v) => present(v) && v !== 1 },
  { param: "suffix", asked: (v) => present(v) && v !== "" },
  ...shared,
];

/** The 400 for the first parameter the request asks for that the backend cannot honour, if any. */
export function unsupportedParameter(
  kind: "chat" | "completion",
  body: Body,
  capabilities: ReadonlySet<Capability> | undefined,
): ApiError | undefined {
  for (const feature of kind === "chat" ? chatFeatures : completionFeatures) {
    const value = body[feature.param];
    if (value === undefined || !feature.asked(value, body)) continue;
    if (feature.capability !== undefined && capabilities?.has(feature.capability)) continue;
    return invalidRequest(
      `This model does not support '${feature.param}' (the gateway refuses it rather than ignore it and bill an answer that did not honour it).`,
      feature.param,
      "unsupported_parameter",
    );
  }
  return undefined;
}
