// The trades feed in the wire shape of GET /offerings/{id}/trades.
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { BUYER, trade } from "./fixtures.ts";
import { TradesList } from "./trades.tsx";

afterEach(cleanup);

describe("TradesList", () => {
  it("an empty feed says so", () => {
    render(<TradesList trades={[]} symbol="$RISE" />);
    expect(screen.getByText("No buys yet")).toBeTruthy();
  });

  it("each buy: buyer, FLOCK in, $MT out, the fee with its anti-snipe part, the transaction", () => {
    render(<TradesList trades={[trade(1, { surcharge: (500n * 10n ** 18n).toString() }), trade(0)]} symbol="$RISE" />);
    const table = screen.getByRole("table", { hidden: true });
    const rows = within(table).getAllByRole("row", { hidden: true }).slice(1);
    expect(rows).toHaveLength(2);
    const cells = within(rows[0]!).getAllByRole("cell", { hidden: true }).map((c) => c.textContent);
    expect(cells.slice(0, 4)).toEqual(["0x90F7…b906", "150,000 FLOCK", "61,234.56 $RISE", "2,750 FLOCKincl. 500 anti-snipe"]);
    expect(cells[5]).toBe("0xaaaa…aaa2");
    expect(within(rows[0]!).getByRole("link", { hidden: true }).getAttribute("href")).toBe(`/portfolio/${BUYER}`);
    expect(within(rows[1]!).getAllByRole("cell", { hidden: true })[3]!.textContent).toBe("2,250 FLOCK");
  });
});
