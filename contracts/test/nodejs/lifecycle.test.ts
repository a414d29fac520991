import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEventLogs } from "viem";
import { FLOCK, TOTAL_SUPPLY, launchpadAbi } from "@fomo/sdk";
import { fresh } from "./fixtures.ts";

describe("offering lifecycle", () => {
  it("raises to max, graduates automatically, and every buyer claims what they bought", async () => {
    const f = await fresh();
    const { mt } = await f.launch();
    await f.wait(2n * 3600n); // past the anti-snipe window
    await f.buy(f.alice, mt, 300_000n * FLOCK);
    await f.buy(f.bob, mt, 400_000n * FLOCK);
    const receipt = await f.buy(f.carol, mt, 1_000_000n * FLOCK); // overshoots raiseMax
    const [grad] = parseEventLogs({ abi: launchpadAbi, logs: receipt.logs, eventName: "Graduated" });
    assert.ok(grad, "graduated in the buy that reached raiseMax");
    assert.equal(await f.launchpad.read.stateOf([mt]), 4);
    const r = grad.args.result;
    assert.equal(r.raised, 1_000_000n * FLOCK);

    const token = f.mtToken(mt);
    for (const who of [f.alice, f.bob, f.carol]) {
      const pos = await f.launchpad.read.positionOf([mt, who.account.address]);
      await f.mined(await f.launchpad.write.claim([mt, who.account.address]));
      assert.equal(await token.read.balanceOf([who.account.address]), pos.mt);
    }
    const supply = await token.read.totalSupply();
    assert.equal(supply + r.mtBurned, TOTAL_SUPPLY);


  });
});
