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

// The mock connector forgets it was connected when the page reloads: the dev account connected last
// is remembered here, so a reload (or a link opened in a new tab) keeps the wallet as a browser wallet would.
const REMEMBERED = "fomo.devAccount";
const remembered = (): string | null => {
  try {
    return window.localStorage.getItem(REMEMBERED);
  } catch {
    return null;
  }
};
const remember = (id: string | null) => {
  try {
    if (id === null) window.localStorage.removeItem(REMEMBERED);
    else window.localStorage.setItem(REMEMBERED, id);
  } catch {
    // storage refused (private mode): the connection is simply not remembered
  }
};

function devAccount(address: Address, index: number) {
  const id = devConnectorId(index);
  const base = mock({ accounts: [address], features: { reconnect: true, defaultConnected: remembered() === id } });
  return createConnector((config) => {
    const connector = base(config);
    return {
      ...connector,
      id,
      name: `Dev account ${index}`,
      async connect(parameters) {
        const connected = await connector.connect(parameters);
        remember(id);
        return connected;
      },
      async disconnect() {
        remember(null);
        await connector.disconnect();
      },
    } as typeof connector;
  });
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
