/** The XDR simulator's public surface. */
export type { SimInfo } from './control-routes.js';
export type { FaultMatch, PendingFault } from './faults.js';
export { inspectText } from './iroh/inspect.js';
export type { SimDisposition, TableVerdict } from './iroh/modules.js';
export { startXdrSimulator, type XdrSimulator, type XdrSimulatorOptions } from './simulator.js';
export type { SimCall, XdrSimSnapshot } from './state.js';
