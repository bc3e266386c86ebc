/** XDR / SecureX hosts per region (api-contracts.md §2.1). */
import { checkBaseUrl } from '../wire.js';

/** A Cisco XDR region. `us` is North America, the default. */
export type XdrRegion = 'us' | 'eu' | 'apjc';

/** The hosts of one region. */
export interface XdrHosts {
  /** IROH: OAuth2 token, inspect, enrich. */
  iroh: string;
  /** CTIA private intelligence: judgements, indicators, feeds, relationships, bundles, incidents. */
  privateIntel: string;
}

/** The IROH and private-intel (CTIA) base URLs of every region. Both hosts take the same token. */
export const XDR_REGIONS: Readonly<Record<XdrRegion, Readonly<XdrHosts>>> = Object.freeze({
  us: Object.freeze({
    iroh: 'https://visibility.amp.cisco.com',
    privateIntel: 'https://private.intel.amp.cisco.com',
  }),
  eu: Object.freeze({
    iroh: 'https://visibility.eu.amp.cisco.com',
    privateIntel: 'https://private.intel.eu.amp.cisco.com',
  }),
  apjc: Object.freeze({
    iroh: 'https://visibility.apjc.amp.cisco.com',
    privateIntel: 'https://private.intel.apjc.amp.cisco.com',
  }),
});

/** Whether `value` names a region. */
export function isXdrRegion(value: string): value is XdrRegion {
  return Object.hasOwn(XDR_REGIONS, value);
}

/**
 * The hosts to talk to: the region's, each replaced by its override when given.
 * @throws TypeError on an unknown region or an override that is not a plain http(s) URL.
 */
export function resolveHosts(region: string, overrides: { apiUrl?: string; privateIntelUrl?: string }): XdrHosts {
  if (!isXdrRegion(region)) throw new TypeError(`unknown XDR region "${region}": use us, eu or apjc`);
  const hosts = XDR_REGIONS[region];
  return {
    iroh: checkBaseUrl(overrides.apiUrl ?? hosts.iroh, 'XDR apiUrl'),
    privateIntel: checkBaseUrl(overrides.privateIntelUrl ?? hosts.privateIntel, 'XDR privateIntelUrl'),
  };
}
