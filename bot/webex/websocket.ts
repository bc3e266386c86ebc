/**
 * Websocket mode (no `WEBEX_WEBHOOK_URL`): the framework has the SDK register a device (WDM)
 * and open Webex's event websocket (Mercury), and listens to the SDK's events. The SDK reconnects
 * by itself after a transient drop; this module makes the socket's state visible (logs, health)
 * and closes it on stop, which the framework does not do (it only unregisters the device).
 */
import type { Logger } from '../log.js';
import type { FrameworkLike } from './framework.js';

/** Where the socket is. `closed` after a close the SDK will not recover from, or after {@link WebsocketLink.close}. */
export type SocketState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** The bot's handle on the SDK's websocket. */
export interface WebsocketLink {
  state(): SocketState;
  /** How many times the socket came back after a drop. */
  reconnects(): number;
  /**
   * Closes the socket for good and stops any reconnection attempt (on stop, or a failed start).
   * With `unregister`, also deletes the device (after a failed start: the framework's `stop()`,
   * which does it otherwise, only runs once started).
   */
  close(options?: { unregister?: boolean }): Promise<void>;
}

/** The parts of webex 2.4.2's `internal.mercury` used here. */
interface Mercury {
  connected: boolean;
  /** The open socket, once connected. */
  socket?: unknown;
  on(event: string, listener: (event?: unknown) => void): unknown;
  disconnect(): PromiseLike<unknown>;
}

/** The part of webex 2.4.2's `internal.device` used here. */
interface Device {
  unregister(): PromiseLike<unknown>;
}

/**
 * webex 2.4.2's `mercury.disconnect()` waits for an `offline` event that never comes when the last
 * connection attempt was refused before it opened (the refused socket stays set): never wait longer.
 */
const DISCONNECT_WAIT_MS = 2_000;

async function settledWithin(work: PromiseLike<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([
    Promise.resolve(work).then(
      () => undefined,
      () => undefined,
    ),
    waited,
  ]);
  clearTimeout(timer);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function internalOf(framework: FrameworkLike): Record<string, unknown> {
  const sdk = framework.getWebexSDK?.();
  const internal = isRecord(sdk) ? sdk.internal : undefined;
  return isRecord(internal) ? internal : {};
}

function mercuryOf(internal: Record<string, unknown>): Mercury | undefined {
  const mercury = internal.mercury;
  if (!isRecord(mercury) || typeof mercury.on !== 'function' || typeof mercury.disconnect !== 'function') {
    return undefined;
  }
  return mercury as unknown as Mercury;
}

function deviceOf(internal: Record<string, unknown>): Device | undefined {
  const device = internal.device;
  return isRecord(device) && typeof device.unregister === 'function' ? (device as unknown as Device) : undefined;
}

const SENDS_REPAIRED = Symbol.for('sna-chatops.quiet-closing-socket-sends');
/** The socket's sends whose promise nobody handles: frame acknowledgements and timed pings. */
const UNHANDLED_SENDS = ['_acknowledge', '_ping'] as const;

/**
 * webex 2.4.2's socket acknowledges every frame it receives (`_acknowledge`) and pings on a timer
 * (`_ping`), each a promise nobody handles, and that promise rejects with `INVALID_STATE_ERROR`
 * when the socket is no longer open: a frame that arrived while it closed, a ping timer that fired
 * after a drop. On each stop or reconnect, an unhandled rejection (the process's log shows an
 * error; a process without a handler would exit). Neither needs an answer (a missing pong closes
 * the socket and the SDK reconnects, as before): that rejection is settled here, any other failure
 * is kept. Applied to the socket class the first time a socket is open (the SDK creates one per
 * connection); returns false when the socket lacks these methods (another SDK version).
 */
export function quietSendsOfClosedSocket(mercury: { socket?: unknown }): boolean {
  let proto: unknown = isRecord(mercury.socket) ? Object.getPrototypeOf(mercury.socket) : undefined;
  while (isRecord(proto) && !Object.prototype.hasOwnProperty.call(proto, '_acknowledge')) {
    proto = Object.getPrototypeOf(proto);
  }
  if (!isRecord(proto)) return false;
  const socketClass = proto;
  if (!UNHANDLED_SENDS.every((name) => typeof socketClass[name] === 'function')) return false;
  if (socketClass[SENDS_REPAIRED as unknown as string]) return true;
  for (const name of UNHANDLED_SENDS) {
    const original = socketClass[name] as (this: unknown, ...args: unknown[]) => Promise<unknown>;
    socketClass[name] = function quietWhenClosed(this: unknown, ...args: unknown[]): Promise<unknown> {
      return Promise.resolve(original.apply(this, args)).catch((err: unknown) => {
        if (err instanceof Error && err.message === 'INVALID_STATE_ERROR') return undefined;
        throw err;
      });
    };
  }
  Object.defineProperty(socketClass, SENDS_REPAIRED, { value: true });
  return true;
}

/** The close code and reason of a socket event, for the log (nothing else of it). */
function closeOf(event: unknown): { code?: unknown; reason?: unknown } {
  return isRecord(event) ? { code: event.code, reason: event.reason } : {};
}

/**
 * Follows the SDK's websocket from the moment `framework.start()` has created the SDK. Returns
 * `undefined` when this SDK has no Mercury plugin (nothing to follow: health then shows the
 * framework's state only).
 */
export function followWebsocket(framework: FrameworkLike, log: Logger): WebsocketLink | undefined {
  const internal = internalOf(framework);
  const mercury = mercuryOf(internal);
  const device = deviceOf(internal);
  if (!mercury) {
    log.warn('the Webex SDK has no websocket plugin to follow: its state is not shown in /healthz');
    return undefined;
  }
  let state: SocketState = mercury.connected ? 'connected' : 'connecting';
  let reconnects = 0;
  let closing = false;

  mercury.on('online', () => {
    if (!quietSendsOfClosedSocket(mercury)) {
      log.warn('the Webex SDK socket has no _acknowledge/_ping to repair: a closing socket logs errors');
    }
    if (state === 'reconnecting') {
      reconnects += 1;
      log.info({ reconnects }, 'Webex websocket reconnected');
    }
    state = 'connected';
  });
  mercury.on('offline.transient', (event) => {
    state = 'reconnecting';
    log.warn(closeOf(event), 'Webex websocket dropped; the SDK is reconnecting');
  });
  const gone = (event: unknown) => {
    state = 'closed';
    if (closing) return;
    log.error(
      closeOf(event),
      'Webex closed the websocket and the SDK will not reconnect: commands and card presses are not received until the bot restarts',
    );
  };
  mercury.on('offline.permanent', gone);
  mercury.on('offline.replaced', gone);

  return {
    state: () => state,
    reconnects: () => reconnects,
    close: async (options = {}) => {
      closing = true;
      state = 'closed';
      await settledWithin(mercury.disconnect(), DISCONNECT_WAIT_MS);
      if (options.unregister) await device?.unregister();
    },
  };
}
