/** The VirusTotal simulator's public surface. */
export type { FaultMatch, SimCall } from '../common/index.js';
export { startVirusTotalSimulator, type VirusTotalSimulator, type VirusTotalSimulatorOptions } from './simulator.js';
export { DEMO_VERDICTS as VIRUSTOTAL_DEMO_VERDICTS, EICAR_SHA256, type SimVtVerdict, urlSha256 } from './verdicts.js';
