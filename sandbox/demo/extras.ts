/**
 * Optional simulators (XDR, Umbrella, Secure Endpoint, VirusTotal, …). Each is a module that
 * starts its simulator seeded from the story, hands the bot the environment that points at it,
 * and may add panels to "World the bot changes". To add one: write a `DemoExtraModule` next to
 * this file and list it in `EXTRA_MODULES`.
 */
import type { WorldPanel } from '../web-space/index.js';
import type { ScenarioEvent, ScenarioHost, ScenarioPeer } from './scenario.js';
import { secureEndpointModule } from './secure-endpoint.js';
import { umbrellaModule } from './umbrella.js';
import { virusTotalModule } from './virustotal.js';
import { xdrModule } from './xdr.js';

/** A started optional simulator. */
export interface DemoExtra {
  /** Environment for the bot (URLs, demo credentials) pointing at the simulator. */
  env: Record<string, string>;
  /** Values the bot's log must never show (client secrets). */
  secrets?: string[];
  /** Signs a relay-module JWT as XDR would (the XDR simulator): the demo's window on the relay uses it. */
  mintRelayToken?(audience: string, claims: Record<string, unknown>): Promise<string>;
  /** Panels it fills; a panel replaces the placeholder with the same id. */
  panels?(): Promise<WorldPanel[]>;
  close(): Promise<void>;
}

/** What an optional simulator gets when it starts. */
export interface ExtraContext {
  /** Port to listen on (0: any free one). */
  port: number;
  /** Outside peers of the scenario with the verdict an enrichment source should give. */
  peers: readonly ScenarioPeer[];
  /** Inside hosts of the scenario that an endpoint product manages. */
  hosts: readonly ScenarioHost[];
  /** The opening burst: which inside host talked to which peer. */
  opening: readonly ScenarioEvent[];
}

/** An optional simulator the demo can run. */
export interface DemoExtraModule {
  name: string;
  /** Preferred port; the demo falls back to a free one when it is taken. */
  defaultPort: number;
  start(context: ExtraContext): Promise<DemoExtra>;
}

/** The optional simulators the demo runs, in start order. */
export const EXTRA_MODULES: readonly DemoExtraModule[] = [
  xdrModule,
  umbrellaModule,
  secureEndpointModule,
  virusTotalModule,
];

/** Panels shown as "not configured" until an extra fills them. */
export const PANEL_PLACEHOLDERS: readonly WorldPanel[] = [
  { id: 'xdr-blocks', title: 'XDR block feed', configured: false, items: [] },
];
