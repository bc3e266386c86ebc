/** The SMC simulator's public surface. */
export type { SimHostGroup, SimTemplate } from './catalogue.js';
export type { FailMatch, SimEventInput, SimEventUpdate } from './inputs.js';
export type { WireEndpoint, WireEventRecord } from './records.js';
export { type SmcSimulator, type SmcSimulatorOptions, startSmcSimulator } from './simulator.js';
export type { SimCall, SimTenant } from './state.js';
export { flowsOfEvent, type SimFlow, type SimFlowEnd, type SimFlowInput } from './flows.js';
