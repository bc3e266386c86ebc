/** The Secure Endpoint simulator's public surface. */
export type { FaultMatch, SimCall } from '../common/index.js';
export {
  DEMO_COMPUTERS as SECURE_ENDPOINT_DEMO_COMPUTERS,
  DEMO_VERDICTS as SECURE_ENDPOINT_DEMO_VERDICTS,
  EICAR_SHA256,
  type SimComputerInput,
  type SimSeVerdict,
} from './model.js';
export {
  type SecureEndpointSimulator,
  type SecureEndpointSimulatorOptions,
  startSecureEndpointSimulator,
} from './simulator.js';
