// The SDK calls the portfolio makes, gathered in one object handed down through context: the page
// always uses the SDK's own actions and reads; component tests hand in recorders with the same
// signatures, so they can check what would be sent (which proof, which account) without a chain.
import {
  claim,
  claimReward,
  claimYield,
  getYieldOwed,
  refund,
  unstake,
  withdrawStake,
} from "@fomo/sdk";
import { createContext, useContext } from "react";

export const SDK_CALLS = { claim, refund, unstake, withdrawStake, claimReward, claimYield, getYieldOwed };
export type PortfolioCalls = typeof SDK_CALLS;

const PortfolioCallsContext = createContext<PortfolioCalls>(SDK_CALLS);
export const PortfolioCallsProvider = PortfolioCallsContext.Provider;
export const usePortfolioCalls = () => useContext(PortfolioCallsContext);
