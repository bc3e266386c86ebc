/**
 * How the benchmark talks to the bot's push intake (SNA Response Management → `POST /sna/alarms`).
 * Everything about the request's shape is here, so it is one place to adjust when the intake's
 * contract changes (README "Push intake"; bot/push/schema.ts).
 */
import type { WireEventRecord } from '../../sandbox/smc/index.js';

export const PUSH_PATH = '/sna/alarms';
/** What the bench sets SNA_WEBHOOK_TOKEN to (≥ 16 characters). */
export const PUSH_TOKEN = 'bench-push-token-0123456789abcdef';

/**
 * `flat` (default): the README's Response Management template, one object per alarm.
 * `record`: `{ "events": [<record exactly as the SMC's results list it>] }`.
 * Choose with BENCH_PUSH_FORM.
 */
export type PushForm = 'flat' | 'record';

export function pushForm(): PushForm {
  return process.env.BENCH_PUSH_FORM === 'record' ? 'record' : 'flat';
}

/** The README's template filled from an SMC record (`+0000` offsets, as the SMC writes times). */
export function flatAlarm(record: WireEventRecord, typeName: string): Record<string, unknown> {
  const points = Number(record.details.find((d) => d.key === 'points')?.value);
  return {
    id: record.id,
    typeId: record.securityEventType,
    typeName,
    sourceIp: record.source.ipAddress,
    sourceHostGroups: record.source.tags.map((t) => t.name),
    ...(record.target
      ? {
          targetIp: record.target.ipAddress,
          targetPort: record.target.port,
          protocol: record.target.protocol,
          targetHostGroups: record.target.tags.map((t) => t.name),
        }
      : {}),
    ...(Number.isFinite(points) ? { points } : {}),
    hitCount: record.hitCount,
    firstActive: record.firstActiveTime,
    lastActive: record.lastActiveTime,
  };
}

/** The request announcing one security event. */
export function pushRequest(
  record: WireEventRecord,
  opts: { typeName: string; form?: PushForm; token?: string },
): { headers: Record<string, string>; body: string } {
  const form = opts.form ?? pushForm();
  return {
    headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token ?? PUSH_TOKEN}` },
    body: JSON.stringify(form === 'flat' ? flatAlarm(record, opts.typeName) : { events: [record] }),
  };
}

/**
 * Whether the running bot serves the push intake: an unauthenticated POST must be refused
 * (401/403) or rejected as malformed (400/415/422), not be an unknown route (404).
 */
export async function pushIntakeAvailable(botUrl: string): Promise<{ available: boolean; status: number }> {
  const res = await fetch(`${botUrl}${PUSH_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
    signal: AbortSignal.timeout(5000),
  });
  await res.arrayBuffer();
  return { available: res.status !== 404 && res.status !== 405, status: res.status };
}
