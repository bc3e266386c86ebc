import type { Severity } from '../../cards/types.js';

/**
 * Severity bands are the bot's own reading of SNA points (the concern index an event
 * added to the host); SNA itself reports points, not a severity.
 */
export function severityFor(points: number | undefined): Severity {
  if (points === undefined) return 'medium';
  if (points >= 2000) return 'critical';
  if (points >= 500) return 'high';
  if (points >= 100) return 'medium';
  return 'low';
}
