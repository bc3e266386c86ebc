/** Time for chat replies: UTC, deterministic, short (the one UTC formatter is `cards/format.ts`). */
import { formatUtc as formatTimestamp } from '../cards/format.js';

/** "2026-11-23 14:05 UTC". */
export function formatUtc(date: Date | string): string {
  return formatTimestamp(typeof date === 'string' ? date : date.toISOString(), 'iso');
}

/** "12 s ago", "in 40 s", "3 min ago", falling back to the UTC time beyond an hour. */
export function formatAgo(date: Date | string, now: Date): string {
  const d = typeof date === 'string' ? new Date(date) : date;
  const diff = Math.round((now.getTime() - d.getTime()) / 1000);
  const abs = Math.abs(diff);
  if (abs >= 3600) return formatUtc(d);
  const span = abs < 60 ? `${abs} s` : `${Math.round(abs / 60)} min`;
  return diff >= 0 ? `${span} ago` : `in ${span}`;
}
