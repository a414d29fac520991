// wagmi for the network the platform names: browser wallets through the injected connector (EIP-6963
// discovery lists every installed wallet), and on a local chain one mock connector per dev account,
// which sends through the chain's own unlocked accounts (tests and demos use these; never on a real chain).
import type { Address } from "viem";
import { defineChain, http } from "viem";
import { createConfig, createConnector, injected, mock, type Config } from "wagmi";
import type { NetworkView } from "./wire.ts";

export function chainOf(network: NetworkView) {
  return defineChain({
    id: network.chain_id,
    name: network.local ? "FOMO local chain" : `Chain ${network.chain_id}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [network.rpc_url] } },
  });
}

/** The connector id of dev account `index` (the ids the connect dialog and the browser tests use). */
export const devConnectorId = (index: number) => `dev-${index}`;

function devAccount(address: Address, index: number) {
  const base = mock({ accounts: [address], features: { reconnect: true } });
  return createConnector((config) => ({ ...base(config), id: devConnectorId(index), name: `Dev account ${index}` }));
}

export function wagmiConfigFor(network: NetworkView): Config {
  const chain = chainOf(network);
  return createConfig({
    chains: [chain],
    connectors: [injected(), ...(network.local ? network.dev_accounts.map(devAccount) : [])],
    transports: { [chain.id]: http(network.rpc_url) },
    multiInjectedProviderDiscovery: true,
  });
}
