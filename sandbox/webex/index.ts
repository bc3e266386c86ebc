/**
 * A simulated Webex for tests and the local demo: a real HTTP server on
 * 127.0.0.1 that speaks the Webex REST API (people, rooms, memberships,
 * messages, attachment actions, webhooks, u2c), enforces Webex's message rules,
 * delivers signed webhooks, injects faults and records every call.
 */

export { sparkSignature } from './delivery/signature.js';
export type { FaultMatch } from './http/faults.js';
export { ADAPTIVE_CARD_CONTENT_TYPE, MAX_CARD_ACTIONS, MAX_EDITS, MAX_TEXT_BYTES } from './model/message-rules.js';
export type * from './model/types.js';
export type {
  SimBot,
  SimPerson,
  SimSnapshot,
  SimulationOptions,
  SubmitCardInput,
  UserSaysInput,
  WebexSimulation,
  WithDeliveries,
} from './simulation.js';
export { startWebexSimulator, WebexSimulator, type WebexSimulatorOptions } from './simulator.js';
