/**
 * The local web space: a Webex-like single-page client over the Webex simulator, for the demo
 * (`npm run demo`) and browser tests. See README.md.
 */
export type { HostReport, HostReportEvent } from './host-page.js';
export type { RelayAnswer, RelayReport } from './relay-page.js';
export { startWebSpace, type WebSpace, type WebSpaceOptions } from './server.js';
export type * from './types.js';
