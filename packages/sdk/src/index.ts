// @fomo/sdk: ABIs, deployments, protocol parameters, the curve, graduation, model-id, emission, routing and
// reward-score math, the rewards Merkle tree, usage receipts and typed actions on every contract. Browser-safe: file I/O is in
// `@fomo/sdk/node` (node.ts). Named exports, not `export *`, so the public API reads in one place and
// a bundler can drop what an app does not use (package.json says "sideEffects": false).
export {
  buybackExecutorAbi, creditDepositsAbi, emissionScheduleAbi, gmFlockAbi, incentivePoolAbi, launchpadAbi,
  localTokenAbi, modelTokenAbi, modelTokenCreationCode, modelTokenFactoryAbi, mtStakingAbi,
  operatorVestingAbi, revenueRouterAbi, rewardsDistributorAbi, templateRegistryAbi, timelockControllerAbi,
  twapOracleAbi, uniswapV2FactoryAbi, uniswapV2PairAbi, uniswapV2Router02Abi,
} from "./generated/abis.ts";
export {
  BPS, DEFAULT_BUYBACK_SPEND_USD, defaultAllocation, defaultBuybackLimits,
  defaultRevenueSplit, defaultSaleTerms, EPOCH_SECONDS, FIRST_BUY_VESTING, FLOCK, GM_HALF, GM_LAMBDA, INITIAL_EMISSION, LAUNCH_FEE,
  LOCAL_REWARDS_CHALLENGE_DELAY, MAX_BUYBACK_SPEND_USD, MAX_PAUSE_EXTENSION, MIN_EPOCH_SECONDS, MT, REWARDS_CHALLENGE_DELAY,
  stakerDiscountTiers, STAKING_COOLDOWN, TOTAL_SUPPLY, TWAP_MAX_AGE, TWAP_WINDOW,
} from "./params.ts";
export type { Allocation, SaleTerms } from "./params.ts";
export { defaultCatalog } from "./catalog.ts";
export type { TemplateSpec } from "./catalog.ts";
export {
  ceilDiv, checkDiscountBps, discountBpsForStake, hardCost, minPriceOf, priceRequest, TOKENS_PER_PRICE_UNIT,
  worstCaseCost,
} from "./pricing.ts";
export type { DiscountTier, PriceTerms, Pricing, RequestPrice, TokenCounts } from "./pricing.ts";
export { formatMicroUsd, MICRO_USD_DECIMALS, MICRO_USD_PER_USD, parseUsd, usdPerMillion } from "./money.ts";
export type { Rounding } from "./money.ts";
export {
  checkStablecoinDecimals, MAX_STABLECOIN_DECIMALS, microUsdToTokenUnits, MIN_STABLECOIN_DECIMALS, stablecoinUnit,
  tokenUnitsToMicroUsd, usdToTokenUnits,
} from "./units.ts";
export {
  calibrate, feeBpsAt, lockedFirstBuy, mtAtPrice, mulDiv, price, quoteBuy, sold, splitFees, sqrt,
} from "./curve.ts";
export type { BuyQuote, CurveReserves, CurveState, FeeTerms } from "./curve.ts";
export { allocateGraduation, poolFlock, poolMt, supplyBucket } from "./graduation.ts";
export type { GraduationAllocation, GraduationAllocationTerms, GraduationInput } from "./graduation.ts";
export { checkName, isValidName, isValidTicker, modelIdHash, modelIdOf } from "./modelIds.ts";
export { checkUsdcDecimals, parseDeployments, UsdcDecimalsMismatch } from "./deployments.ts";
export type { Deployments } from "./deployments.ts";
export {
  addressOf, chainTime, eventsOf, GAS_MARGIN_PERCENT, launchpadAddress, mined, registryAddress, theEventOf, withGasMargin, write,
} from "./client.ts";
export type {
  BlockOptions, Clients, ContractRef, ContractsOf, EventArgsOf, LaunchpadRef, RegistryRef, Sender, SendRequest, Sent,
  Wallet, WriteOptions,
} from "./client.ts";
export { State, STATE_NAMES, stateName } from "./state.ts";
export { deploymentStateOf, isFinalState } from "./served.ts";
export type { DeploymentState, ServedDeployment } from "./served.ts";
export type {
  BuybackRecord, BuyRecord, Candle, DailyStake, DepositRecord, EpochFlows, EventPosition, GmflockLockRecord, Holder, MtSupply,
  OfferingRecord, PoolPricePoint, PoolState, RevenueReportRecord, RewardClaimRecord, RewardRootRecord, RewardRootStatus,
  StakePosition, SupporterPosition,
} from "./readmodel.ts";
export type { StateName } from "./state.ts";
export { formatAmount, formatFlock, formatMt, formatUsdc } from "./format.ts";
export {
  BuyFeeTooHigh, contractOf, decodeRevert, describeError, describeRevert, fomoErrorAbi, FomoRejection, revertOf,
} from "./errors.ts";
export type { DescribeOptions, FomoContract, FomoErrorName, Revert } from "./errors.ts";
export { getTemplate, getTerms, listTemplates, termsCurve } from "./registry.ts";
export type {
  GetTemplateParameters, GetTemplateReturnType, GetTermsParameters, GetTermsReturnType,
  ListTemplatesParameters, ListTemplatesReturnType, Template, Terms,
} from "./registry.ts";
export {
  approveFlock, approveLaunch, buy, claim, claimableAt, DEFAULT_DEADLINE_SECONDS, DEFAULT_FEE_MARGIN_BPS, DEFAULT_SLIPPAGE_BPS,
  feeBpsOf, feeFallsAt, firstBuyCap, flockOf, getClaimableMt, getFlockAllowance, getLaunchFee, getOffering, getPosition, getState, graduate, launch, launchpadEvents,
  listOfferings, quoteBuyLocal, quoteBuyOnChain, quoteFirstBuy, refund, registryOf, settleFees, stateAt,
  withSlippage,
} from "./launchpad.ts";
export type {
  ApproveFlockParameters, ApproveFlockReturnType, ApproveLaunchParameters, ApproveLaunchReturnType, BuyParameters, BuyReturnType, ClaimParameters,
  ClaimReturnType, EventArgs, FirstBuyQuote, FlockOfReturnType, GetClaimableMtParameters,
  GetClaimableMtReturnType, GetFlockAllowanceParameters, GetFlockAllowanceReturnType, GetLaunchFeeReturnType, GetOfferingParameters,
  GetOfferingReturnType, GetPositionParameters, GetPositionReturnType, GetStateParameters, GetStateReturnType,
  GraduateParameters, GraduateReturnType, LaunchedOffering, LaunchParameters, LaunchReturnType,
  ListOfferingsParameters, ListOfferingsReturnType, Offering, OfferingSnapshot, OfferingView, Position,
  QuoteBuyOnChainParameters, QuoteBuyOnChainReturnType, RefundParameters, RefundReturnType,
  RegistryOfReturnType, SettleFeesParameters, SettleFeesReturnType,
} from "./launchpad.ts";
export { modelTokenAddress, predictModelTokenAddress } from "./modeltoken.ts";
export type {
  ModelTokenSeed, PredictModelTokenAddressParameters, PredictModelTokenAddressReturnType,
} from "./modeltoken.ts";
export { add256, assertUint256, mul256, UINT256_MAX } from "./uint256.ts";
/** The ERC-20 ABI the SDK's approvals and allowance reads use (viem's), for an app's own token calls. */
export { erc20Abi } from "viem";
export {
  approveToken, DEFAULT_PERMIT_SECONDS, ensureAllowance, getAllowance, signPermit, submitPermit,
} from "./tokens.ts";
export type {
  Approval, ApproveTokenParameters, ApproveTokenReturnType, EnsureAllowanceParameters,
  EnsureAllowanceReturnType, GetAllowanceParameters, GetAllowanceReturnType, PermitSignature,
  SignPermitParameters, SignPermitReturnType, SubmitPermitParameters, SubmitPermitReturnType,
} from "./tokens.ts";
export {
  cumulativeEmission, DAILY_DECAY, dailyEmission, HALF_LIFE_DAYS, RAY, rpow,
} from "./emission.ts";
export { createKeccakStream, keccakBytes, loadFastKeccak, type KeccakStream } from "./keccak.ts";
export {
  EMISSION_DAY, EPOCH_GRACE_MS, epochGraceMs, epochOf, epochWindow, epochWindowMs, USAGE_EPOCH_SECONDS, usageEpochOf, UTC_DAYS,
  type EpochClock,
} from "./epochs.ts";
export { checkSplit, routeOf, SPLIT_BOUNDS } from "./routing.ts";
export type { RevenueSplit, Routed } from "./routing.ts";
export {
  gmBoost, ISSUER_BONUS_BPS, issuerBonus, REWARD_ALPHA, rewardScoreOf, rewardScores, SCORE_ONE, shareOut,
} from "./rewardScores.ts";
export type { RewardScore, UserDay } from "./rewardScores.ts";
export { AGE_FACTOR_EPOCHS, AGE_FACTOR_FLOOR, ageFactor, computeEpochRewards } from "./epochRewards.ts";
export type {
  EpochDeployment, EpochRewards, EpochRewardsInput, EpochUser, MtEpochRewards, RewardAllotment, TokenAmount,
} from "./epochRewards.ts";
export { canonicalJson, canonicalJsonChunks, parseJsonChunks } from "./canonical.ts";
export {
  decodeEpochInput, encodeEpochInput, encodeEpochInputChunks, EPOCH_INPUT_VERSION, EpochInputError, epochInputHash, readEpochInput, writeEpochInput,
} from "./epochInput.ts";
export type { AccruedReward, EpochCumulativeInput, EpochInputDeployment, EpochInputFile } from "./epochInput.ts";
export {
  buildRewardsTree, buildStandardTree, canonicalAddress, canonicalEntries, REWARD_LEAF_ENCODING, rewardLeaf,
  rewardsContentHash, standardLeafHash, standardRewardsTree, standardRootOfPacked, verifyRewardProof,
  verifyStandardProof,
} from "./merkle.ts";
export type {
  RewardClaim, RewardEntry, RewardsInput, RewardsTree, RewardsTreeDump, StandardTree,
} from "./merkle.ts";
export {
  getCooldown, getStake, getStakeAt, getStakeCheckpoint, getStakingCooldown, getTotalStaked, stake,
  timeWeighted, timeWeightedStake, unstake, withdrawStake,
} from "./staking.ts";
export type {
  GetCooldownParameters, GetCooldownReturnType, GetStakeAtParameters, GetStakeAtReturnType,
  GetStakeCheckpointParameters, GetStakeCheckpointReturnType, GetStakeParameters, GetStakeReturnType,
  GetStakingCooldownReturnType, GetTotalStakedParameters, GetTotalStakedReturnType, StakeCheckpoint,
  StakeParameters, StakeReturnType, StakingRef, TimeWeightedStake, TimeWeightedStakeParameters,
  TimeWeightedStakeReturnType, UnstakeParameters, UnstakeReturnType, WithdrawStakeParameters,
  WithdrawStakeReturnType,
} from "./staking.ts";
export {
  claimYield, getReport, getSplit, getYieldOwed, reportAmountsOf, reportRevenue, routeOfOnChain,
} from "./revenue.ts";
export type {
  ClaimYieldParameters, ClaimYieldReturnType, GetReportParameters, GetReportReturnType, GetSplitParameters,
  GetSplitReturnType, GetYieldOwedParameters, GetYieldOwedReturnType, ReportRevenueParameters,
  ReportRevenueReturnType, RevenueReport, RevenueRouterRef, RouteOfOnChainParameters, RouteOfOnChainReturnType,
} from "./revenue.ts";
export {
  buybackDepthLimit, buybackMinOut, buybackPriceFloor, checkBuybackPrices, buybackSpend, consultTwap, executeFlockBuyback, executeMtBuyback,
  getBudgets, getBuybackLimits, getLastBuyback, getObservations, getSpendLimit, getTwapWindow, quoteBuyback,
  quoteBuybackLocal, updateTwap,
} from "./buyback.ts";
export { getAmountOut, getAmountsOut, spotPriceX112 } from "./pool.ts";
export type { PoolReserves } from "./pool.ts";
export { linearlyVested, operatorVested } from "./vesting.ts";
export type {
  Budgets, BuybackExecuted, BuybackHop, BuybackLimits, BuybackPool, BuybackQuote, LocalBuybackQuote, BuybackRef, ConsultTwapParameters,
  ConsultTwapReturnType, ExecuteFlockBuybackParameters, ExecuteFlockBuybackReturnType,
  ExecuteMtBuybackParameters, ExecuteMtBuybackReturnType, GetBudgetsParameters, GetBudgetsReturnType,
  GetBuybackLimitsParameters, GetBuybackLimitsReturnType, GetLastBuybackParameters, GetLastBuybackReturnType,
  GetObservationsParameters, GetObservationsReturnType, GetSpendLimitParameters, GetSpendLimitReturnType,
  GetTwapWindowReturnType, Observation, QuoteBuybackParameters, QuoteBuybackReturnType, RouteOptions,
  TwapOracleRef, UpdateTwapParameters, UpdateTwapReturnType,
} from "./buyback.ts";
export {
  activateRoot, claimReward, getAllotment, getChallengeDelay, getClaimable, getClaimed,
  getCumulativeEmission, getDistributorState, getEmission, getEmissionDay, getEmissionSchedule,
  getEpochClock, getPendingRoot, postRoot, vetoRoot,
} from "./rewards.ts";
export type {
  ActivateRootParameters, ActivateRootReturnType, Activation, ClaimRewardParameters, ClaimRewardReturnType,
  DistributorRef, DistributorState, EmissionScheduleRef, GetAllotmentParameters, GetAllotmentReturnType,
  GetChallengeDelayParameters, GetChallengeDelayReturnType, GetClaimableParameters, GetClaimableReturnType,
  GetClaimedParameters, GetClaimedReturnType, GetCumulativeEmissionParameters, GetCumulativeEmissionReturnType,
  GetDistributorStateParameters, GetDistributorStateReturnType, GetEmissionDayParameters,
  GetEmissionDayReturnType, GetEmissionParameters, GetEmissionReturnType, GetEmissionScheduleReturnType,
  GetEpochClockReturnType,
  GetPendingRootParameters, GetPendingRootReturnType, PendingRoot, PostRootParameters, PostRootReturnType,
  VetoRootParameters, VetoRootReturnType,
} from "./rewards.ts";
export {
  getGmBalance, getLock, GM_BONUS_FREE_DAYS, GM_MAX_DAYS, gmFor, gmForOnChain, lockFlock, unlockFlock,
} from "./gmflock.ts";
export type {
  GetGmBalanceParameters, GetGmBalanceReturnType, GetLockParameters, GetLockReturnType, GmFlockRef,
  GmForOnChainParameters, GmForOnChainReturnType, GmLock, LockFlockParameters, LockFlockReturnType,
  UnlockFlockParameters, UnlockFlockReturnType,
} from "./gmflock.ts";
export { accountIdOf, creditsOfDeposit, depositCredits, getDepositsState, sweepDeposits } from "./credits.ts";
export type {
  CreditDepositsRef, DepositCreditsParameters, DepositCreditsReturnType, GetDepositsStateParameters,
  GetDepositsStateReturnType, SweepDepositsParameters, SweepDepositsReturnType,
} from "./credits.ts";
export {
  buildUsageTree, checkUsageReceipt, decodeUsageReceipt, encodeUsageReceipt, PLATFORM_DEPLOYMENT,
  PLATFORM_RECEIPT_DEPLOYMENT,
  recoverUsageReceiptSigner, signUsageReceipt, USAGE_LEAF_ENCODING,
  USAGE_RECEIPT_DOMAIN_NAME, USAGE_RECEIPT_DOMAIN_VERSION, USAGE_RECEIPT_TYPES,
  usageReceiptDigest, usageReceiptDomain, usageReceiptFromJson, usageReceiptLeaf, usageReceiptLeafBytes,
  usageReceiptStructHash,
  usageReceiptToJson, verifyUsageProof, verifyUsageReceipt,
} from "./receipts.ts";
export type {
  SignedUsageReceipt, UsageReceipt, UsageReceiptDomain, UsageReceiptJson, UsageTree,
} from "./receipts.ts";
