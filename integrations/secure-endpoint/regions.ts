/** Secure Endpoint (AMP) v1 API hosts per region (api-contracts.md §6; EU/APJC hosts SECONDARY). */
export const SECURE_ENDPOINT_REGIONS = {
  nam: 'https://api.amp.cisco.com',
  eu: 'https://api.eu.amp.cisco.com',
  apjc: 'https://api.apjc.amp.cisco.com',
} as const;

/** A region of {@link SECURE_ENDPOINT_REGIONS}. */
export type SecureEndpointRegion = keyof typeof SECURE_ENDPOINT_REGIONS;

/**
 * The console people open for an API base URL: `api.amp.cisco.com` → `console.amp.cisco.com`, and
 * likewise `api.eu.…`, `api.apjc.…` (Cisco's pivot doc). Another host (a proxy, the simulator) is
 * taken as serving both the API and the console.
 */
export function consoleOrigin(apiBaseUrl: string): string {
  const url = new URL(apiBaseUrl);
  if (/^api\.(?:(?:eu|apjc)\.)?amp\.cisco\.com$/i.test(url.hostname)) {
    url.hostname = url.hostname.replace(/^api\./i, 'console.');
  }
  return url.origin;
}
