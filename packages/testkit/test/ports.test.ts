// freePort: the port it names must be bindable on loopback right after, which is all a caller relies on.
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:net";
import { describe, it } from "node:test";
import { freePort } from "@fomo/testkit/ports";

describe("freePort", () => {
  it("names a loopback port a server can listen on", async () => {
    const port = await freePort();
    assert.ok(Number.isInteger(port) && port > 0 && port < 65_536, `${port}`);
    const server = createServer().listen(port, "127.0.0.1");
    await once(server, "listening");
    assert.equal((server.address() as { port: number }).port, port);
    server.close();
    await once(server, "close");
  });
});
