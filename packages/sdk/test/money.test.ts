// money.ts: the one parse and format of USD amounts. What it accepts is read exactly; what it
// refuses is refused with a message naming the input and the reason, since people type these
// (fomo keys create --credits, template prices).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatMicroUsd, MICRO_USD_PER_USD, parseUsd, usdPerMillion } from "../src/money.ts";

describe("money", () => {
  it("reads every accepted decimal exactly, whatever a double would make of it", () => {
    assert.equal(parseUsd("0.1") + parseUsd("0.2"), parseUsd("0.3"), "0.1 + 0.2 is 0.3 in micro-USD");
    assert.equal(parseUsd("007.5"), 7_500_000n, "leading zeros are digits, not octal");
    assert.equal(parseUsd("1.10"), parseUsd("1.1"));
    // Far beyond 2^53: a float would lose the last micro-USD.
    assert.equal(parseUsd("123456789012345678901234567890.000001"), 123456789012345678901234567890n * MICRO_USD_PER_USD + 1n);
    assert.equal(usdPerMillion("0.055"), 55_000n);
  });

  it("refuses negative amounts, exponents, signs and more than 6 decimals, saying which", () => {
    const refusals: [string, RegExp][] = [
      ["-1", /not a USD amount: "-1" \(it is negative\)$/],
      ["-0.5", /it is negative/],
      ["1e3", /not a USD amount: "1e3" \(it uses an exponent; write every digit\)$/],
      ["1.5E-2", /it uses an exponent/],
      ["+2", /it has a sign/],
      ["1.2345678", /not a USD amount: "1.2345678" \(it has more than 6 decimals; micro-USD is the smallest unit\)$/],
      ["0.0000001", /more than 6 decimals/],
      ["", /it is empty/],
      [" 1", /surrounding spaces/],
      ["1.", /digits on both sides of the decimal point/],
      [".5", /digits on both sides of the decimal point/],
      ["1,000", /it is not a decimal number/],
      ["0x10", /it is not a decimal number/],
      ["Infinity", /it is not a decimal number/],
      ["NaN", /it is not a decimal number/],
      ["１", /it is not a decimal number/], // a full-width digit: \d is ASCII only here
    ];
    for (const [input, message] of refusals) assert.throws(() => parseUsd(input), message, JSON.stringify(input));
  });

  it("refuses a number (a float) passed where the decimal string belongs", () => {
    for (const float of [0.1, 12, Number.NaN]) {
      assert.throws(() => parseUsd(float as unknown as string), (e: Error) => e instanceof TypeError && /pass a decimal string such as "12.50", not a number/.test(e.message));
    }
    assert.throws(() => parseUsd(5n as unknown as string), /not a bigint/);
  });

  it("formats with all 6 decimals, exactly, and reads its own output back", () => {
    assert.equal(formatMicroUsd(0n), "0.000000");
    assert.equal(formatMicroUsd(999_999n), "0.999999");
    assert.equal(formatMicroUsd(-1n), "-0.000001");
    const huge = 2n ** 130n + 7n;
    assert.equal(parseUsd(formatMicroUsd(huge)), huge);
  });
});
