// The frame around every page: the header (pages, wallet), a skip link for keyboard users, the footer.
import { useState, type ReactNode } from "react";
import { Link, useLocation } from "../lib/router.tsx";
import { useNetwork } from "../lib/network.tsx";
import { ConnectButton } from "./connect.tsx";

export const NAV: ReadonlyArray<{ to: string; label: string }> = [
  { to: "/", label: "Marketplace" },
  { to: "/launch", label: "Launch" },
  { to: "/portfolio", label: "Portfolio" },
  { to: "/console", label: "Console" },
  { to: "/simulator", label: "Simulator" },
];

export function Layout({ children }: { children: ReactNode }) {
  const { path } = useLocation();
  const network = useNetwork();
  const [menu, setMenu] = useState(false);
  const current = (to: string) => (to === "/" ? path === "/" : path.startsWith(to));
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:rounded focus:bg-surface focus:p-2">
        Skip to content
      </a>
      <header className="sticky top-0 z-10 border-b border-line bg-page/95 backdrop-blur">
        <div className="mx-auto flex max-w-7xl items-center gap-4 px-4 py-3">
          <Link to="/" className="text-lg font-bold tracking-tight">
            FOMO
          </Link>
          <nav aria-label="Main" className="hidden md:block">
            <ul className="flex gap-1">
              {NAV.map((n) => (
                <li key={n.to}>
                  <Link to={n.to} aria-current={current(n.to) ? "page" : undefined} className="rounded-lg px-3 py-2 text-sm hover:bg-raised aria-[current=page]:bg-raised aria-[current=page]:font-semibold">
                    {n.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <div className="ml-auto flex items-center gap-2">
            {network.local && <span className="hidden rounded bg-warn/15 px-2 py-0.5 text-xs text-warn sm:inline">local chain {network.chain_id}</span>}
            <ConnectButton />
            <button type="button" className="rounded-lg border border-line px-2 py-1.5 text-sm md:hidden" aria-expanded={menu} aria-controls="mobile-nav" onClick={() => setMenu(!menu)}>
              Menu
            </button>
          </div>
        </div>
        {menu && (
          <nav id="mobile-nav" aria-label="Main" className="border-t border-line md:hidden">
            <ul className="flex flex-col p-2">
              {NAV.map((n) => (
                <li key={n.to}>
                  <Link to={n.to} onClick={() => setMenu(false)} aria-current={current(n.to) ? "page" : undefined} className="block rounded-lg px-3 py-2 hover:bg-raised">
                    {n.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
      </header>
      <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-4 py-6">
        {children}
      </main>
      <footer className="border-t border-line px-4 py-4 text-center text-xs text-muted">
        FOMO: model tokens bought back by real inference revenue. Charts by{" "}
        <a className="underline" href="https://www.tradingview.com/">TradingView</a> Lightweight Charts™.
      </footer>
    </div>
  );
}

/** A page's heading block. */
export function PageTitle({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="mb-6">
      <h1 className="text-2xl font-bold tracking-tight">{title}</h1>
      {children && <div className="mt-1 text-muted">{children}</div>}
    </div>
  );
}
