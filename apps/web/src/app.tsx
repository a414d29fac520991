// The app: the platform's network first, then wagmi for that chain, then the pages, each its own
// chunk (the marketplace's first load carries only what it needs).
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { lazy, Suspense, useMemo, type ComponentType } from "react";
import { WagmiProvider } from "wagmi";
import { Layout, PageTitle } from "./components/layout.tsx";
import { LoadingState } from "./components/states.tsx";
import { NetworkGate } from "./lib/network.tsx";
import { Link, Outlet, RouterProvider, type Route } from "./lib/router.tsx";
import { wagmiConfigFor } from "./lib/wagmi.ts";
import type { NetworkView } from "./lib/wire.ts";

const page = (load: () => Promise<{ default: ComponentType }>) => {
  const Page = lazy(load);
  return () => (
    <Suspense fallback={<LoadingState />}>
      <Page />
    </Suspense>
  );
};

export const ROUTES: readonly Route[] = [
  { path: "/", render: page(() => import("./pages/marketplace/index.tsx")) },
  { path: "/launch", render: page(() => import("./pages/launch/index.tsx")) },
  { path: "/offerings/:id", render: page(() => import("./pages/offering/index.tsx")) },
  { path: "/models/:id", render: page(() => import("./pages/model/index.tsx")) },
  { path: "/portfolio", render: page(() => import("./pages/portfolio/index.tsx")) },
  { path: "/portfolio/:address", render: page(() => import("./pages/portfolio/index.tsx")) },
  { path: "/console", render: page(() => import("./pages/console/index.tsx")) },
  { path: "/simulator", render: page(() => import("./pages/simulator/index.tsx")) },
];

function NotFound() {
  return (
    <PageTitle title="Page not found">
      <Link to="/" className="underline">
        Back to the marketplace
      </Link>
    </PageTitle>
  );
}

function WithWallet({ network }: { network: NetworkView }) {
  const config = useMemo(() => wagmiConfigFor(network), [network]);
  return (
    <WagmiProvider config={config}>
      <RouterProvider routes={ROUTES}>
        <Layout>
          <Outlet notFound={() => <NotFound />} />
        </Layout>
      </RouterProvider>
    </WagmiProvider>
  );
}

export function App({ queryClient }: { queryClient: QueryClient }) {
  return (
    <QueryClientProvider client={queryClient}>
      <NetworkGate>{(network) => <WithWallet network={network} />}</NetworkGate>
    </QueryClientProvider>
  );
}
