/** How a domain's categorization and risk score read as one disposition. */
import type { UmbrellaCategorization, UmbrellaDisposition } from './types.js';

/**
 * Risk scores from this value up read as suspicious. Our policy, not Cisco's: Investigate documents the
 * scale (0 no risk … 100 blocked) but no threshold.
 */
export const UMBRELLA_SUSPICIOUS_RISK_SCORE = 70;

/**
 * `malicious` when Umbrella says so (status −1); `suspicious` when the domain has a security category
 * or a high risk score; `clean` when Umbrella calls it safe (status 1); `unknown` otherwise.
 */
export function umbrellaDisposition(categorization: UmbrellaCategorization, riskScore?: number): UmbrellaDisposition {
  if (categorization.status === -1) return 'malicious';
  if (categorization.securityCategories.length > 0) return 'suspicious';
  if (riskScore !== undefined && riskScore >= UMBRELLA_SUSPICIOUS_RISK_SCORE) return 'suspicious';
  if (categorization.status === 1) return 'clean';
  return 'unknown';
}

/** The domain's page in the Investigate console. The URL pattern is UNVERIFIED against the docs. */
export function investigateLink(domain: string): string {
  return `https://investigate.umbrella.com/domain-view/name/${encodeURIComponent(domain)}/view`;
}
