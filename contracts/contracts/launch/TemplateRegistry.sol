// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {CurveMath} from "./CurveMath.sol";
import {Allocation, Curve, Pricing, SaleTerms, Template, Terms} from "./Terms.sol";

/// @title TemplateRegistry
/// @notice The platform's catalog of model templates (product.md §2). An issuer picks a template and
/// cannot change its economics. Terms are immutable versions: updating a template publishes new
/// terms for future launches, and every offering keeps the terms it launched with.
/// @dev Every parameter is checked against hard bounds, so no role can publish terms that break
/// the curve, the graduation or the fee caps.
contract TemplateRegistry is AccessControl {
    /// @notice Role that adds, updates and disables templates.
    bytes32 public constant CATALOG_ROLE = keccak256("CATALOG_ROLE");

    /// @notice Supply of every $MT, the base of the allocation bps.
    uint256 public constant TOTAL_SUPPLY = 1_000_000e18;

    // Hard bounds. They are constants on purpose: governance moves parameters inside them only.
    /// @notice Least raiseMin.
    uint256 public constant MIN_RAISE = 1e18; // keeps the first LP mint far above MINIMUM_LIQUIDITY
    /// @notice Most raiseMax.
    uint256 public constant MAX_RAISE = 1_000_000_000e18; // all FLOCK ever minted
    /// @notice Highest base platform fee, in bps.
    uint256 public constant MAX_FEE_BPS = 1_000; // base platform fee <= 10%
    /// @notice Highest anti-snipe total fee, in bps.
    uint256 public constant MAX_SNIPE_FEE_BPS = 9_900; // anti-snipe total fee <= 99%
    /// @notice Shortest raise window.
    uint256 public constant MIN_DURATION = 1 days;
    /// @notice Longest raise window.
    uint256 public constant MAX_DURATION = 30 days;
    /// @notice Least end/start price ratio of a curve, times 10^4.
    uint256 public constant MIN_PRICE_RATIO_BPS = 10_100; // 1.01x
    /// @notice Most end/start price ratio of a curve, times 10^4.
    uint256 public constant MAX_PRICE_RATIO_BPS = 1_000_000; // 100x
    /// @notice Longest operator vesting and incentive release.
    uint256 public constant MAX_VESTING = 4 * 365 days;
    /// @notice Highest first-buy cap, in bps of total supply.
    uint256 public constant MAX_FIRST_BUY_BPS = 2_500; // 25% of supply (product.md §3.1)
    uint256 private constant BPS = 10_000;

    Template[] private _templates;
    Terms[] private _terms;

    /// @notice A template was added.
    event TemplateAdded(uint32 indexed templateId, string baseModelId, string hostingTier);
    /// @notice New terms were published for a template (its first terms, or an update).
    event TermsPublished(uint32 indexed templateId, uint32 indexed termsId, Terms terms);
    /// @notice A template was enabled or disabled for new launches (`oldEnabled` is false when it is added).
    event TemplateEnabledUpdated(uint32 indexed templateId, bool oldEnabled, bool newEnabled);

    /// @notice No template has this id.
    error TemplateRegistryUnknownTemplate(uint32 templateId);
    /// @notice No terms have this id.
    error TemplateRegistryUnknownTerms(uint32 termsId);
    /// @notice The template is disabled for new launches.
    error TemplateRegistryTemplateDisabled(uint32 templateId);
    /// @notice A parameter is outside its hard bounds; `param` names it.
    error TemplateRegistryInvalidParameter(string param);

    /// @param admin Governance: grants and revokes roles.
    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Adds a template with its first terms. It is enabled at once.
    /// @param baseModelId Served model, e.g. `qwen3-30b-a3b-instruct` (lower-case, digits, `.`, `-`).
    /// @param hostingTier Compute class, e.g. `cpu-small`.
    /// @param sale Sale economics.
    /// @param allocation Where the supply and the raised FLOCK go at graduation.
    /// @param pricing Inference prices and hard costs.
    /// @return templateId The new template's id.
    function addTemplate(
        string calldata baseModelId,
        string calldata hostingTier,
        SaleTerms calldata sale,
        Allocation calldata allocation,
        Pricing calldata pricing
    ) external onlyRole(CATALOG_ROLE) returns (uint32 templateId) {
        _checkId(baseModelId, "baseModelId");
        _checkId(hostingTier, "hostingTier");
        templateId = SafeCast.toUint32(_templates.length);
        _templates.push(Template(baseModelId, hostingTier, 0, true));
        emit TemplateAdded(templateId, baseModelId, hostingTier);
        emit TemplateEnabledUpdated(templateId, false, true);
        _publish(templateId, sale, allocation, pricing);
    }

    /// @notice Publishes new terms for a template. Offerings already launched keep theirs.
    /// @param templateId The template.
    /// @param sale Sale economics.
    /// @param allocation Where the supply and the raised FLOCK go at graduation.
    /// @param pricing Inference prices and hard costs.
    function updateTemplate(
        uint32 templateId,
        SaleTerms calldata sale,
        Allocation calldata allocation,
        Pricing calldata pricing
    ) external onlyRole(CATALOG_ROLE) {
        _template(templateId);
        _publish(templateId, sale, allocation, pricing);
    }

    /// @notice Enables or disables a template for new launches. Live offerings are unaffected.
    /// Emits TemplateEnabledUpdated.
    /// @param templateId The template.
    /// @param enabled Whether new launches may use it.
    function setTemplateEnabled(uint32 templateId, bool enabled) external onlyRole(CATALOG_ROLE) {
        Template storage tpl = _template(templateId);
        emit TemplateEnabledUpdated(templateId, tpl.enabled, enabled);
        tpl.enabled = enabled;
    }

    /// @notice Number of templates; ids run from 0 to templateCount() - 1.
    function templateCount() external view returns (uint256) {
        return _templates.length;
    }

    /// @notice Number of published terms; ids run from 0 to termsCount() - 1.
    function termsCount() external view returns (uint256) {
        return _terms.length;
    }

    /// @notice A template: base model, hosting tier, current terms id and whether it is enabled.
    /// @param templateId The template.
    function template(uint32 templateId) external view returns (Template memory) {
        if (templateId >= _templates.length) revert TemplateRegistryUnknownTemplate(templateId);
        return _templates[templateId];
    }

    /// @notice One published version of terms.
    /// @param termsId The terms.
    function terms(uint32 termsId) public view returns (Terms memory) {
        if (termsId >= _terms.length) revert TemplateRegistryUnknownTerms(termsId);
        return _terms[termsId];
    }

    /// @notice The template and current terms a new launch gets; reverts if the template is disabled.
    /// @param templateId The template.
    /// @return termsId Its current terms' id.
    /// @return t Its current terms.
    /// @return baseModelId Its base model, the first part of the API model id.
    function launchTerms(uint32 templateId)
        external
        view
        returns (uint32 termsId, Terms memory t, string memory baseModelId)
    {
        if (templateId >= _templates.length) revert TemplateRegistryUnknownTemplate(templateId);
        Template storage tpl = _templates[templateId];
        if (!tpl.enabled) revert TemplateRegistryTemplateDisabled(templateId);
        return (tpl.termsId, _terms[tpl.termsId], tpl.baseModelId);
    }

    function _template(uint32 templateId) private view returns (Template storage) {
        if (templateId >= _templates.length) revert TemplateRegistryUnknownTemplate(templateId);
        return _templates[templateId];
    }

    function _publish(uint32 templateId, SaleTerms calldata sale, Allocation calldata a, Pricing calldata p)
        private
    {
        _checkSale(sale);
        _checkAllocation(a);
        _checkPricing(p);
        uint256 saleSupply = TOTAL_SUPPLY * a.saleBps / BPS;
        (uint256 x0, uint256 y0) = CurveMath.calibrate(saleSupply, sale.raiseMax, sale.priceRatioBps);
        // The pool needs flockLiquidity·(Y0 − s)/(X0 + f) $MT at graduation, which peaks at Y0·φ/4
        // (at f = X0). The liquidity bucket must cover 2.5 times that, so the pool opens at the curve
        // price even when FLOCK synced into a pre-created pair is twice the pool's own (Launchpad._openPool).
        if (y0 * a.flockLiquidityBps / BPS / 4 * 5 / 2 > TOTAL_SUPPLY * a.liquidityBps / BPS) {
            revert TemplateRegistryInvalidParameter("liquidityBps");
        }
        // Below the sale tranche too: a first buy must never fill the raise and skip the anti-snipe fee.
        if (sale.firstBuyCapBps > MAX_FIRST_BUY_BPS || sale.firstBuyCapBps >= a.saleBps) {
            revert TemplateRegistryInvalidParameter("firstBuyCapBps");
        }

        uint32 termsId = SafeCast.toUint32(_terms.length);
        Terms storage t = _terms.push();
        t.templateId = templateId;
        t.curve = Curve(SafeCast.toUint128(x0), SafeCast.toUint128(y0));
        t.sale = sale;
        t.allocation = a;
        t.pricing = p;
        _templates[templateId].termsId = termsId;
        emit TermsPublished(templateId, termsId, t);
    }

    function _checkSale(SaleTerms calldata s) private pure {
        if (s.raiseMin < MIN_RAISE || s.raiseMin > s.raiseMax) revert TemplateRegistryInvalidParameter("raiseMin");
        if (s.raiseMax > MAX_RAISE) revert TemplateRegistryInvalidParameter("raiseMax");
        if (s.feeBps > MAX_FEE_BPS) revert TemplateRegistryInvalidParameter("feeBps");
        if (s.creatorFeeShareBps > BPS) revert TemplateRegistryInvalidParameter("creatorFeeShareBps");
        if (s.snipeFeeBps < s.feeBps || s.snipeFeeBps > MAX_SNIPE_FEE_BPS) revert TemplateRegistryInvalidParameter("snipeFeeBps");
        if (s.snipeDecayBpsPerMinute == 0) revert TemplateRegistryInvalidParameter("snipeDecayBpsPerMinute");
        if (s.duration < MIN_DURATION || s.duration > MAX_DURATION) revert TemplateRegistryInvalidParameter("duration");
        if (s.priceRatioBps < MIN_PRICE_RATIO_BPS || s.priceRatioBps > MAX_PRICE_RATIO_BPS) {
            revert TemplateRegistryInvalidParameter("priceRatioBps");
        }
    }

    function _checkAllocation(Allocation calldata a) private pure {
        if (a.saleBps == 0) revert TemplateRegistryInvalidParameter("saleBps");
        if (uint256(a.saleBps) + a.liquidityBps + a.incentivesBps + a.operatorBps + a.treasuryBps != BPS) {
            revert TemplateRegistryInvalidParameter("allocation");
        }
        if (uint256(a.flockLiquidityBps) + a.flockHostingBps + a.flockIncentivesBps != BPS) {
            revert TemplateRegistryInvalidParameter("flockSplit");
        }
        if (a.flockLiquidityBps == 0 || a.liquidityBps == 0) revert TemplateRegistryInvalidParameter("flockLiquidityBps");
        if (a.operatorCliff > a.operatorDuration || a.operatorDuration > MAX_VESTING) {
            revert TemplateRegistryInvalidParameter("operatorVesting");
        }
        if (a.incentiveDuration == 0 || a.incentiveDuration > MAX_VESTING) revert TemplateRegistryInvalidParameter("incentiveDuration");
    }

    function _checkPricing(Pricing calldata p) private pure {
        if (p.inputMinPrice < p.inputCost || p.outputMinPrice < p.outputCost) revert TemplateRegistryInvalidParameter("minPrice");
        if (p.inputPrice < p.inputMinPrice || p.outputPrice < p.outputMinPrice) revert TemplateRegistryInvalidParameter("price");
    }

    /// @dev Ids become part of API model ids (`<baseModelId>-<ticker>`): lower-case ASCII, digits, `.`, `-`, `_`.
    function _checkId(string calldata id, string memory param) private pure {
        bytes calldata b = bytes(id);
        if (b.length == 0 || b.length > 64) revert TemplateRegistryInvalidParameter(param);
        for (uint256 i; i < b.length; ++i) {
            bytes1 c = b[i];
            bool ok = (c >= "a" && c <= "z") || (c >= "0" && c <= "9") || c == "-" || c == "." || c == "_";
            if (!ok) revert TemplateRegistryInvalidParameter(param);
        }
    }
}
