/** Secure Endpoint (AMP) v1 API hosts per region (api-contracts.md §6; EU/APJC hosts SECONDARY). */
export const SECURE_ENDPOINT_REGIONS = {
  nam: 'https://api.amp.cisco.com',
  eu: 'https://api.eu.amp.cisco.com',
  apjc: 'https://api.apjc.amp.cisco.com',
} as const;

/** A region of {@link SECURE_ENDPOINT_REGIONS}. */
export type SecureEndpointRegion = keyof typeof SECURE_ENDPOINT_REGIONS;
