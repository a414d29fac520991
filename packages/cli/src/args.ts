// Command-line options, parsed before anything heavy loads so a typo fails at once.
import { DEFAULT_DATA_DIR } from "./paths.ts";

export interface UpOptions {
  port: number;
  dataDir: string;
}

export function parseUpArgs(args: string[]): UpOptions {
  const opts: UpOptions = { port: 8545, dataDir: DEFAULT_DATA_DIR };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = args[i + 1];
    if (flag === "--port" && value !== undefined) {
      opts.port = Number(value);
      if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535) throw new Error(`--port: not a port: ${value}`);
      i++;
    } else if (flag === "--data-dir" && value !== undefined) {
      opts.dataDir = value;
      i++;
    } else {
      throw new Error(`fomo up: unknown option ${flag} (usage: fomo up [--port N] [--data-dir DIR])`);
    }
  }
  return opts;
}
