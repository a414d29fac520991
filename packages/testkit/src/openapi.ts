// Real answers checked against a server's own OpenAPI 3.1 document (the platform API's): the response
// schema it publishes for the route and status (JSON Schema 2020-12). A field sent but not documented,
// documented but missing, or of another type fails the test.
import assert from "node:assert/strict";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

/** What the checker needs of a server: fastify's inject. */
interface Injectable {
  inject(request: { method: "GET"; url: string }): Promise<{ json(): any }>;
}

export type MatchesOpenApi = (method: string, path: string, response: { statusCode: number; body: string }) => void;

/**
 * A checker of `app`'s answers against the document at `${prefix}/openapi.json`; `path` as the document
 * names it after the prefix, e.g. `/offerings/{id}`.
 */
export async function openApiChecker(app: Injectable, prefix: string): Promise<MatchesOpenApi> {
  const API_PREFIX = prefix;
  const doc = (await app.inject({ method: "GET", url: `${API_PREFIX}/openapi.json` })).json();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  return (method, path, response) => {
    const operation = doc.paths[`${API_PREFIX}${path}`]?.[method.toLowerCase()];
    assert.ok(operation, `${method} ${path} is in the OpenAPI document`);
    const status = String(response.statusCode);
    const documented = operation.responses[status] ?? operation.responses[`${status[0]}XX`];
    const schema = documented?.content?.["application/json"]?.schema;
    assert.ok(schema, `${method} ${path} documents its ${response.statusCode} answer`);
    const valid = ajv.validate(schema, JSON.parse(response.body));
    assert.ok(valid, `${method} ${path} ${response.statusCode} matches its schema: ${ajv.errorsText(ajv.errors)}`);
  };
}
