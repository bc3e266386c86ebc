/**
 * Live updates: the Webex simulator's server-sent events (`/_sim/events`, one `change` per state
 * change), with polling while the stream is down. Changes nobody sees in a space (API calls,
 * webhook deliveries) are ignored.
 */

/** One change as the simulator announces it. */
export interface SimChange {
  kind: string;
  action?: string;
  roomId?: string;
}

/** How the page hears about changes right now. */
export type LiveMode = 'live' | 'polling';

const VISIBLE_KINDS = new Set(['message', 'room', 'membership', 'attachmentAction', 'reset', 'poll']);
const POLL_MS = 2500;

/** Starts listening; returns a function that stops it. */
export function watchChanges(onChange: (change: SimChange) => void, onMode: (mode: LiveMode) => void): () => void {
  let poller: ReturnType<typeof setInterval> | undefined;
  const startPolling = (): void => {
    if (poller !== undefined) return;
    onMode('polling');
    poller = setInterval(() => onChange({ kind: 'poll' }), POLL_MS);
  };
  const stopPolling = (): void => {
    if (poller !== undefined) clearInterval(poller);
    poller = undefined;
    onMode('live');
  };

  if (typeof EventSource === 'undefined') {
    startPolling();
    return () => clearInterval(poller);
  }
  const source = new EventSource('/_sim/events');
  source.addEventListener('open', () => {
    stopPolling();
    onChange({ kind: 'poll' });
  });
  source.addEventListener('error', startPolling);
  source.addEventListener('change', (event) => {
    const change = parseChange((event as MessageEvent<string>).data);
    if (change && VISIBLE_KINDS.has(change.kind)) onChange(change);
  });
  return () => {
    source.close();
    clearInterval(poller);
  };
}

function parseChange(data: string): SimChange | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return value && typeof value === 'object' && typeof (value as SimChange).kind === 'string'
      ? (value as SimChange)
      : undefined;
  } catch {
    return undefined;
  }
}
