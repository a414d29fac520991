// Stop sequences over a stream of text pieces. Text is released as soon as it cannot be the start of
// a stop sequence, so a client never sees part of a stop string, and the text before the first
// match is exactly what OpenAI returns (the stop string itself is dropped).

export interface StopScan {
  /** Text safe to release now. */
  text: string;
  /** True when a stop sequence completed; nothing after it must be released. */
  stopped: boolean;
}

export class StopSequenceFilter {
  private readonly stops: readonly string[];
  /** Released text is never part of a match, so only the held tail needs searching. */
  private held = "";

  constructor(stops: readonly string[]) {
    this.stops = stops.filter((s) => s.length > 0);
  }

  push(piece: string): StopScan {
    const text = this.held + piece;
    let first = -1;
    for (const stop of this.stops) {
      const at = text.indexOf(stop);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    }
    if (first >= 0) {
      this.held = "";
      return { text: text.slice(0, first), stopped: true };
    }
    const keep = this.longestStopPrefixSuffix(text);
    this.held = text.slice(text.length - keep);
    return { text: text.slice(0, text.length - keep), stopped: false };
  }

  /** Releases the held tail when generation ends for another reason (it never became a stop). */
  flush(): string {
    const text = this.held;
    this.held = "";
    return text;
  }

  /** Length of the longest suffix of `text` that is a proper prefix of some stop sequence. */
  private longestStopPrefixSuffix(text: string): number {
    let best = 0;
    for (const stop of this.stops) {
      for (let n = Math.min(stop.length - 1, text.length); n > best; n--) {
        if (text.endsWith(stop.slice(0, n))) {
          best = n;
          break;
        }
      }
    }
    return best;
  }
}
