/**
 * A step that cannot go on yet, and will on its own once chain time passes (a root's challenge delay,
 * a price oracle's window): not a failure. The keeper logs it at info, records it on the epoch, and
 * the next run goes on; `fomo epoch run` says until when and exits 0.
 */
export class KeeperWaits extends Error {
  override name = "KeeperWaits";
}
