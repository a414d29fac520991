// A small history router: paths like "/offerings/:id", one lazily loaded chunk per page, links that
// push state without a reload. Small on purpose: the app has seven pages and no nested layouts.
import { createContext, useContext, useEffect, useMemo, useState, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from "react";

interface Location {
  path: string;
  search: URLSearchParams;
}

const read = (): Location => ({ path: window.location.pathname, search: new URLSearchParams(window.location.search) });
const RouterContext = createContext<{ location: Location; params: Record<string, string> }>({ location: { path: "/", search: new URLSearchParams() }, params: {} });

const NAVIGATED = "fomo:navigate";

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  window.dispatchEvent(new Event(NAVIGATED));
  window.scrollTo({ top: 0 });
}

function useBrowserLocation(): Location {
  const [location, setLocation] = useState(read);
  useEffect(() => {
    const update = () => setLocation(read());
    window.addEventListener("popstate", update);
    window.addEventListener(NAVIGATED, update);
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener(NAVIGATED, update);
    };
  }, []);
  return location;
}

/** `match("/offerings/:id", "/offerings/ABC")` → `{id: "ABC"}`; undefined when it does not match. */
export function match(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split("/").filter(Boolean);
  const got = path.split("/").filter(Boolean);
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const value = got[i]!;
    if (part.startsWith(":")) params[part.slice(1)] = decodeURIComponent(value);
    else if (part !== value) return undefined;
  }
  return params;
}

export interface Route {
  path: string;
  render: () => ReactNode;
}

interface Matched {
  location: Location;
  params: Record<string, string>;
  route: Route | undefined;
}

const MatchedContext = createContext<Route | undefined>(undefined);

/** Follows the browser's location and matches it against `routes`: the frame (header, nav) and the page below it both see it. */
export function RouterProvider({ routes, children }: { routes: readonly Route[]; children: ReactNode }) {
  const location = useBrowserLocation();
  const matched: Matched = useMemo(() => {
    for (const route of routes) {
      const params = match(route.path, location.path);
      if (params) return { location, params, route };
    }
    return { location, params: {}, route: undefined };
  }, [routes, location]);
  return (
    <RouterContext.Provider value={{ location: matched.location, params: matched.params }}>
      <MatchedContext.Provider value={matched.route}>{children}</MatchedContext.Provider>
    </RouterContext.Provider>
  );
}

/** The page the location matched, or `notFound`. */
export function Outlet({ notFound }: { notFound: () => ReactNode }) {
  const route = useContext(MatchedContext);
  return <>{route ? route.render() : notFound()}</>;
}

export const useParams = () => useContext(RouterContext).params;
export const useLocation = () => useContext(RouterContext).location;

/** Search parameters as state: the value in the URL, and a setter that replaces it (filters survive a reload). */
export function useSearchParam(name: string, fallback = ""): [string, (value: string) => void] {
  const { location } = useContext(RouterContext);
  const value = location.search.get(name) ?? fallback;
  const set = (next: string) => {
    const search = new URLSearchParams(window.location.search);
    if (next === fallback || next === "") search.delete(name);
    else search.set(name, next);
    const qs = search.toString();
    navigateKeepScroll(`${window.location.pathname}${qs ? `?${qs}` : ""}`);
  };
  return [value, set];
}

function navigateKeepScroll(to: string) {
  window.history.replaceState(null, "", to);
  window.dispatchEvent(new Event(NAVIGATED));
}

export function Link({ to, children, onClick, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const click = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={click} {...rest}>
      {children}
    </a>
  );
}

/** Routes and their outlet in one: for a page alone (tests), without the frame. */
export function Router({ routes, notFound }: { routes: readonly Route[]; notFound: () => ReactNode }) {
  return (
    <RouterProvider routes={routes}>
      <Outlet notFound={notFound} />
    </RouterProvider>
  );
}
