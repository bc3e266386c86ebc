/** The request bodies of the relay: a list of observables, or a response action to trigger. */
import { z } from 'zod';
import { canonicalIp } from '../observables/ip.js';
import type { CtimObservable } from './ctim.js';
import { invalidArgument } from './errors.js';

/** `[{"type": "ip", "value": "…"}, …]`, as XDR sends it (Cisco's `ObservableSchema(many=True)`). */
const observablesSchema = z
  .array(z.object({ type: z.string().min(1).max(64), value: z.string().min(1).max(4096) }))
  .max(1000);

/** The body of `/respond/trigger`: the action and its query-params (Cisco's `ActionSchema`, unknown keys kept). */
const triggerSchema = z.looseObject({
  'action-id': z.string().min(1).max(128),
  observable_type: z.string().min(1).max(64),
  observable_value: z.string().min(1).max(4096),
});

/**
 * The IP observables of a relay body, each in its one canonical form, without duplicates; every
 * other type is left out (not an error: XDR asks every module about everything).
 */
export function ipObservables(body: unknown): CtimObservable[] {
  const parsed = observablesSchema.safeParse(body);
  if (!parsed.success) throw invalidArgument('Expected a list of observables: [{"type": …, "value": …}]');
  const seen = new Set<string>();
  const ips: CtimObservable[] = [];
  for (const { type, value } of parsed.data) {
    if (type !== 'ip' && type !== 'ipv6') continue;
    const ip = canonicalIp(value);
    if (!ip || seen.has(ip.value)) continue;
    seen.add(ip.value);
    ips.push({ type: ip.family === 'ipv4' ? 'ip' : 'ipv6', value: ip.value });
  }
  return ips;
}

export interface TriggerRequest {
  actionId: string;
  observableType: string;
  observableValue: string;
}

/** The trigger body, or its fields from the query string when the body is empty. */
export function triggerRequest(body: unknown, query: Record<string, unknown>): TriggerRequest {
  const source =
    body && typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length > 0 ? body : query;
  const parsed = triggerSchema.safeParse(source);
  if (!parsed.success) {
    throw invalidArgument('Expected {"action-id": …, "observable_type": …, "observable_value": …}');
  }
  return {
    actionId: parsed.data['action-id'],
    observableType: parsed.data.observable_type,
    observableValue: parsed.data.observable_value,
  };
}
