import type { SmcSimulator } from '../../sandbox/smc/index.js';

/** The SMC simulator's host group named `name` (first tenant). */
export function hostGroup(smc: SmcSimulator, name: string): { id: number; name: string; ranges: string[] } | undefined {
  const groups = (smc.state().hostGroups ?? {}) as Record<
    string,
    Array<{ id: number; name: string; ranges: string[] }>
  >;
  return Object.values(groups)
    .flat()
    .find((g) => g.name === name);
}
