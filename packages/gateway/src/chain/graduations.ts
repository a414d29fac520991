// Graduations as they happen: the Launchpad's Graduated logs read from the chain's head, so the
// catalog reads its source again at once rather than at its next periodic refresh (15 s). Each poll
// is one eth_blockNumber, and a getLogs only when the head moved: cheaper than a refresh, which reads
// the state of every open offering. Read from the chain itself even when the catalog's source is a
// read model, which learns of a graduation only once its indexer has (DeploymentCatalog.graduated
// waits for it).
import { launchpadAbi, launchpadAddress, type Deployments } from "@fomo/sdk";
import type { PublicClient } from "viem";

/** Subscribes to graduations ($MT addresses); returns the unsubscribe. DeploymentCatalog's change signal. */
export type GraduationSignal = (onGraduated: (mt: string) => void) => () => void;

export interface GraduationWatchOptions {
  /** Time between two reads of the head; default 1 s. */
  pollMs?: number;
  /** Largest block range of one getLogs call (public RPCs cap it); default 10,000. */
  logBlockRange?: bigint;
  /** A failed poll (the next one reads the same blocks again); reported once until a poll succeeds, not every second of an outage. */
  onError?: (error: unknown) => void;
}

/** The graduations on `client`'s chain from the first block after the head the first poll reads. */
export function graduationSignal(client: PublicClient, deployments: Deployments, options: GraduationWatchOptions = {}): GraduationSignal {
  const pollMs = options.pollMs ?? 1_000;
  const range = options.logBlockRange ?? 10_000n;
  const onError = options.onError ?? (() => {});
  return (onGraduated) => {
    /** The first block not read yet; unknown until the first head is read. */
    let next: bigint | undefined;
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    let failing = false;
    const poll = async () => {
      // viem caches the block number for its polling interval: each poll must see the latest block.
      const head = await client.getBlockNumber({ cacheTime: 0 });
      // The first poll, or a chain behind what was read (a local node restarted): from the head on.
      if (next === undefined || head + 1n < next) {
        next = head + 1n;
        return;
      }
      for (let from = next; from <= head && !stopped; from = next) {
        const to = from + range - 1n < head ? from + range - 1n : head;
        const logs = await client.getContractEvents({
          address: launchpadAddress(deployments),
          abi: launchpadAbi,
          eventName: "Graduated",
          fromBlock: from,
          toBlock: to,
          strict: true,
        });
        next = to + 1n;
        for (const log of logs) onGraduated(log.args.mt);
      }
    };
    const tick = () => {
      poll()
        .then(
          () => void (failing = false),
          (error: unknown) => {
            if (!failing) onError(error);
            failing = true;
          },
        )
        .finally(() => {
          if (!stopped) timer = setTimeout(tick, pollMs).unref();
        });
    };
    tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  };
}
