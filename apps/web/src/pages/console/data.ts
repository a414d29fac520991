// The console's reads, one query each under the CONSOLE_KEY prefix (signing in or out, and every
// action, refreshes them). Lists the console shows whole (keys, the daily sums) are read page by page
// to the end; the logs and credit entries are paged as the person asks.
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { apiGet, type Page, type Query } from "../../lib/api.ts";
import { CONSOLE_KEY } from "./session.ts";
import type { CreditEntryView, CreditsView, DepositInfoView, KeyView, UsageDayView, UsageFilters, UsageRecordView } from "./wire.ts";

/** The routes' largest page. */
const MAX_PAGE = 200;
/** Beyond this many pages a list is cut short (and says so) rather than read for ever. */
const MAX_PAGES = 25;

export interface WholeList<T> {
  data: T[];
  /** More rows exist than were read (MAX_PAGES × MAX_PAGE). */
  truncated: boolean;
}

async function wholeList<T>(path: string, query: Query, signal: AbortSignal): Promise<WholeList<T>> {
  const data: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer: Page<T> = await apiGet<Page<T>>(path, { ...query, limit: MAX_PAGE, cursor }, signal);
    data.push(...answer.data);
    cursor = answer.next_cursor;
    if (cursor === null) return { data, truncated: false };
  }
  return { data, truncated: true };
}

/** Every API key of the account, revoked ones too, oldest first. */
export const useKeys = () =>
  useQuery({ queryKey: [CONSOLE_KEY, "keys"], queryFn: ({ signal }) => wholeList<KeyView>("/account/keys", {}, signal) });

export const useCredits = () =>
  useQuery({ queryKey: [CONSOLE_KEY, "credits"], queryFn: ({ signal }) => apiGet<CreditsView>("/account/credits", undefined, signal) });

export const useDepositInfo = () =>
  useQuery({
    queryKey: [CONSOLE_KEY, "deposit"],
    queryFn: ({ signal }) => apiGet<DepositInfoView>("/account/credits/deposit", undefined, signal),
    staleTime: 60_000,
    refetchInterval: false,
  });

export const ENTRIES_PAGE = 20;

/** Credit entries, newest first, a page at a time ("Show more"). */
export const useCreditEntries = (refetchInterval: number | false = 5_000) =>
  useInfiniteQuery({
    queryKey: [CONSOLE_KEY, "entries"],
    queryFn: ({ pageParam, signal }) => apiGet<Page<CreditEntryView>>("/account/credits/entries", { limit: ENTRIES_PAGE, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    refetchInterval,
  });

/** Usage per UTC day × key × model under the filters, every page. */
export const useUsageDaily = (filters: UsageFilters) =>
  useQuery({
    queryKey: [CONSOLE_KEY, "usage-daily", filters],
    queryFn: ({ signal }) => wholeList<UsageDayView>("/account/usage/daily", { ...filters }, signal),
  });

export const LOGS_PAGE = 25;

/** One page of usage logs (newest first) under the filters, from `cursor` (null: the newest). */
export const useUsageLogs = (filters: UsageFilters, cursor: string | null) =>
  useQuery({
    queryKey: [CONSOLE_KEY, "usage", filters, cursor],
    queryFn: ({ signal }) => apiGet<Page<UsageRecordView>>("/account/usage", { ...filters, limit: LOGS_PAGE, cursor }, signal),
    placeholderData: (previous) => previous,
  });
