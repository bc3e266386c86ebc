/** Plumbing shared by the Umbrella, Secure Endpoint and VirusTotal simulators. */
export type { Fault, FaultMatch } from './faults.js';
export { parseInput } from './faults.js';
export { parseJsonBody, SimHttpError, type SimRequest, type SimResponse } from './http.js';
export { extendControls, type SimCall, type SimControls, type SimProduct, startSimServer } from './server.js';
