/** The Umbrella Investigate simulator's public surface. */
export type { FaultMatch, SimCall } from '../common/index.js';
export { startUmbrellaSimulator, type UmbrellaSimulator, type UmbrellaSimulatorOptions } from './simulator.js';
export { DEMO_VERDICTS as UMBRELLA_DEMO_VERDICTS, type SimDomainVerdict } from './verdicts.js';
