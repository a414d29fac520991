// A local stand-in for Stripe's HTTP API, as far as the platform uses it: POST /v1/checkout/sessions
// (form-encoded, Bearer secret key), answered with a Checkout Session object. The real `stripe` npm
// client is pointed at it (host/port/protocol), so the request the platform builds is Stripe's own.
// Like Stripe, a request repeating an Idempotency-Key gets the first response back, replayed.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface StripeApiRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  idempotencyKey: string | undefined;
  /** The form body, keys as Stripe's client encodes them (e.g. `line_items[0][quantity]`). */
  form: Record<string, string>;
}

export interface StripeApi {
  api: { host: string; port: number; protocol: "http" };
  requests: StripeApiRequest[];
  close(): Promise<void>;
}

export async function startStripeApi(secretKey: string): Promise<StripeApi> {
  const requests: StripeApiRequest[] = [];
  const replies = new Map<string, unknown>();
  const server: Server = createServer(async (req, res) => {
    const form = Object.fromEntries(new URLSearchParams(await bodyOf(req)));
    const idempotencyKey = req.headers["idempotency-key"] as string | undefined;
    const request = { method: req.method ?? "", path: req.url ?? "", authorization: req.headers.authorization, idempotencyKey, form };
    requests.push(request);
    const reply = (status: number, body: unknown, replayed = false) => {
      res.writeHead(status, {
        "content-type": "application/json",
        "request-id": `req_${randomBytes(6).toString("hex")}`,
        ...(replayed ? { "idempotent-replayed": "true" } : {}),
      });
      res.end(JSON.stringify(body));
    };
    if (request.authorization !== `Bearer ${secretKey}`) {
      return reply(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided" } });
    }
    if (request.method !== "POST" || request.path !== "/v1/checkout/sessions") {
      return reply(404, { error: { type: "invalid_request_error", message: `Unrecognized request URL (${request.method}: ${request.path})` } });
    }
    const earlier = idempotencyKey === undefined ? undefined : replies.get(idempotencyKey);
    if (earlier !== undefined) return reply(200, earlier, true);
    const id = `cs_test_${randomBytes(12).toString("hex")}`;
    const quantity = Number(form["line_items[0][quantity]"]);
    const unitAmount = Number(form["line_items[0][price_data][unit_amount]"]);
    const session = {
      id,
      object: "checkout.session",
      mode: form.mode,
      client_reference_id: form.client_reference_id ?? null,
      metadata: { account_id: form["metadata[account_id]"] },
      currency: form["line_items[0][price_data][currency]"],
      amount_total: quantity * unitAmount,
      payment_status: "unpaid",
      status: "open",
      success_url: form.success_url,
      cancel_url: form.cancel_url,
      url: `https://checkout.stripe.com/c/pay/${id}`,
    };
    if (idempotencyKey !== undefined) replies.set(idempotencyKey, session);
    reply(200, session);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    api: { host: "127.0.0.1", port, protocol: "http" },
    requests,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
