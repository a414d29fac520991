// Offering lifecycle names, in the order of Launchpad.State.

/** Launchpad.State by value: 0 None ... 4 Graduated. */
export const STATE_NAMES = ["None", "Raising", "Succeeded", "Failed", "Graduated"] as const;
export type StateName = (typeof STATE_NAMES)[number];

export const State = {
  None: 0,
  Raising: 1,
  Succeeded: 2,
  Failed: 3,
  Graduated: 4,
} as const satisfies Record<StateName, number>;

/** Readable name of a Launchpad.State value; unknown values say so rather than guess. */
export function stateName(state: number): StateName | `Unknown(${number})` {
  return STATE_NAMES[state] ?? `Unknown(${state})`;
}
