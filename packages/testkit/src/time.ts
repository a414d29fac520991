// Durations in seconds, as bigints: what block timestamps and the contracts' windows are counted in.
export const MINUTE = 60n;
export const HOUR = 3_600n;
export const DAY = 86_400n;
