/** What the relay module needs from the rest of the bot, built in `bot/app.ts`. */
import type { SnaEvent } from '../../integrations/sna/client.js';
import type { RelayConfig } from '../config.js';
import type { Logger } from '../log.js';
import type { Services } from '../services.js';
import type { JwksCache } from './jwks.js';

/** The SMC as the relay uses it. */
export interface RelaySmc {
  /** Lists the tenants (logging in when needed): resolves when the SMC answers with a valid session. */
  check(): Promise<void>;
  /** Security events of any type in which `ip` is source or target, active during `[from, to]`. */
  eventsOf(ip: string, from: Date, to: Date): Promise<SnaEvent[]>;
  /** The name of a security-event type. */
  eventName(typeId: number): Promise<string>;
}

export interface RelayDeps {
  config: RelayConfig;
  services: Services;
  smc: RelaySmc;
  jwks: JwksCache;
  /** The SMC's page of a host (SNA_HOST_URL_TEMPLATE), when there is one. */
  hostUrl(ip: string): string | undefined;
  /** The package version, for `/version`. */
  version: string;
  log: Logger;
}
