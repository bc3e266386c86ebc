/** The zero-credential demo (`npm run demo`): see README.md. */
export { CAST, type CastMember } from './cast.js';
export { type Demo, type DemoOptions, startDemo } from './demo.js';
export type { DemoExtra, DemoExtraModule, ExtraContext } from './extras.js';
export { DEFAULT_PORTS } from './ports.js';
export {
  OPENING,
  PACES,
  SCENARIO_EVENT_TYPE_IDS,
  SCENARIO_HOSTS,
  SCENARIO_PEERS,
  type ScenarioHost,
  type ScenarioPeer,
} from './scenario.js';
