/**
 * The simulated Mercury service: one websocket per registered device, at the device's
 * `webSocketUrl`. It speaks what webex 2.4.2's `internal-plugin-mercury` expects: an in-band
 * authorization frame answered by `mercury.buffer_state`, JSON ping/pong, acks, and
 * `conversation.activity` frames for the events the device's owner may see.
 *
 * Events reach only sockets that are open and authorized at the time: one that happens while a
 * client is reconnecting is recorded as `no-socket` and not replayed (see the README).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { WebexEvent } from '../model/context.js';
import { trackingId } from '../model/ids.js';
import { MAX_RECORDS, type SimStore } from '../model/store.js';
import { activityFor } from './activities.js';
import { type DeviceRegistry, MERCURY_PATH, type SimDevice } from './devices.js';
import { type ActivityFrame, type BufferStateFrame, CLOSE, parseClientFrame, type PongFrame } from './wire.js';

/** The text of a websocket message, however `ws` delivered it. */
function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** How long a new socket may take to send its authorization frame. */
const AUTHORIZATION_TIMEOUT_MS = 30_000;

/** One websocket, as the simulator sees it (never with the token). */
export interface MercuryConnection {
  id: string;
  deviceId: string;
  personId: string;
  state: 'open' | 'authorized' | 'closed';
  openedAt: string;
  authorizedAt?: string;
  closedAt?: string;
  closeCode?: number;
  closeReason?: string;
  /** Who closed it: the client, the simulator (a fault or an unregistered device), or the network. */
  closedBy?: 'client' | 'server' | 'dropped';
  pings: number;
  /** Frames sent that carry a sequence number (buffer state and activities). */
  sent: number;
}

/** One event frame the hub sent, or could not send because the device had no open socket. */
export interface MercuryFrameRecord {
  seq: number;
  at: string;
  frameId: string;
  deviceId: string;
  personId: string;
  connectionId?: string;
  resource: string;
  event: string;
  dataId: string;
  verb: string;
  activityId: string;
  outcome: 'sent' | 'no-socket';
  acked: boolean;
}

interface Session {
  info: MercuryConnection;
  socket: WebSocket;
  device: SimDevice;
  timer?: NodeJS.Timeout;
}

/** How {@link MercuryHub.drop} ends sockets. */
export interface DropOptions {
  /** Only this person's sockets (default: all). */
  personId?: string;
  /** A close frame with this code; without it the TCP connection is cut (the client sees 1006). */
  code?: number;
  reason?: string;
}

/** The websocket side of the simulated Webex. */
export class MercuryHub {
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  private readonly closed: MercuryConnection[] = [];
  private readonly records: MercuryFrameRecord[] = [];
  private answerPings = true;
  private refusals: number[] = [];

  constructor(
    private readonly store: SimStore,
    private readonly devices: DeviceRegistry,
  ) {}

  /** Every socket, open ones first, then closed ones (oldest first). */
  get connections(): MercuryConnection[] {
    return structuredClone([...[...this.sessions.values()].map((s) => s.info), ...this.closed]);
  }

  /** Every event frame, oldest first. */
  get frames(): MercuryFrameRecord[] {
    return structuredClone(this.records);
  }

  /** Answers an HTTP upgrade on a device's Mercury path; returns false when the path is not one. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const match = MERCURY_PATH.exec(path);
    if (!match) return false;
    const device = this.devices.get(match[1] ?? '');
    if (!device) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return true;
    }
    this.server.handleUpgrade(req, socket, head, (ws) => this.accept(ws, device));
    return true;
  }

  /** Sends `event` to every authorized socket of every device whose owner may see it. */
  publish(event: WebexEvent): MercuryFrameRecord[] {
    const sent: MercuryFrameRecord[] = [];
    for (const personId of new Set(event.audience)) {
      for (const device of this.devices.list(personId)) {
        const activity = activityFor(this.store, event, device.origin);
        if (!activity) continue;
        const sessions = [...this.sessions.values()].filter(
          (s) => s.device.id === device.id && s.info.state === 'authorized',
        );
        const base = {
          at: this.store.now(),
          deviceId: device.id,
          personId,
          resource: event.resource,
          event: event.event,
          dataId: event.data.id,
          verb: activity.verb,
          activityId: activity.id,
          acked: false,
        };
        if (sessions.length === 0) {
          sent.push(this.record({ ...base, seq: this.store.nextSeq(), frameId: randomUUID(), outcome: 'no-socket' }));
        }
        for (const session of sessions) {
          const frame: ActivityFrame = {
            ...this.frameCommon(session),
            data: { eventType: 'conversation.activity', activity },
          };
          session.socket.send(JSON.stringify(frame));
          sent.push(
            this.record({
              ...base,
              seq: this.store.nextSeq(),
              frameId: frame.id,
              connectionId: session.info.id,
              outcome: 'sent',
            }),
          );
        }
      }
    }
    return sent;
  }

  /** Ends sockets (all, or one person's): abruptly by default, or with a close frame. Returns how many. */
  drop(options: DropOptions = {}): number {
    const targets = [...this.sessions.values()].filter(
      (s) => options.personId === undefined || s.device.personId === options.personId,
    );
    for (const session of targets) {
      session.info.closedBy = options.code === undefined ? 'dropped' : 'server';
      if (options.code === undefined) session.socket.terminate();
      else session.socket.close(options.code, options.reason ?? '');
    }
    return targets.length;
  }

  /** Closes the sockets of a device that was unregistered. */
  closeDevice(deviceId: string): void {
    for (const session of this.sessions.values()) {
      if (session.device.id !== deviceId) continue;
      session.info.closedBy = 'server';
      session.socket.close(CLOSE.normal, 'Device unregistered');
    }
  }

  /** Whether pings get a pong (turn off to simulate a connection that died without closing). */
  setAnswerPings(answer: boolean): void {
    this.answerPings = answer;
  }

  /** The next `count` sockets are closed with `code` as soon as they send their authorization. */
  refuseNext(count: number, code: number = CLOSE.forbidden): void {
    for (let i = 0; i < count; i += 1) this.refusals.push(code);
  }

  /** Forgets closed sockets, frame records and faults (open sockets stay). */
  clearRecords(): void {
    this.closed.length = 0;
    this.records.length = 0;
    this.refusals = [];
    this.answerPings = true;
  }

  /** Cuts every socket (the server is stopping). */
  close(): void {
    for (const session of this.sessions.values()) session.socket.terminate();
    this.server.close();
  }

  private accept(socket: WebSocket, device: SimDevice): void {
    const info: MercuryConnection = {
      id: randomUUID(),
      deviceId: device.id,
      personId: device.personId,
      state: 'open',
      openedAt: this.store.now(),
      pings: 0,
      sent: 0,
    };
    const session: Session = { info, socket, device };
    session.timer = setTimeout(
      () => socket.close(1008, 'Authentication did not happen in time'),
      AUTHORIZATION_TIMEOUT_MS,
    );
    session.timer.unref();
    this.sessions.set(info.id, session);
    this.changed('created', info.id);
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.onFrame(session, textOf(data));
    });
    socket.on('close', (code, reason) => this.onClose(session, code, reason.toString('utf8')));
    socket.on('error', () => socket.terminate());
  }

  private onFrame(session: Session, text: string): void {
    const frame = parseClientFrame(text);
    if (!frame) return;
    if (frame.type === 'authorization') {
      this.authorize(session, frame.data.token);
    } else if (frame.type === 'ping' && session.info.state === 'authorized') {
      session.info.pings += 1;
      if (!this.answerPings) return;
      const pong: PongFrame = { id: frame.id, type: 'pong' };
      session.socket.send(JSON.stringify(pong));
    } else if (frame.type === 'ack') {
      const record = this.records.find((r) => r.frameId === frame.messageId && r.connectionId === session.info.id);
      if (record) record.acked = true;
    }
  }

  private authorize(session: Session, header: string): void {
    if (session.info.state !== 'open') return;
    clearTimeout(session.timer);
    const refusal = this.refusals.shift();
    if (refusal !== undefined) {
      session.info.closedBy = 'server';
      session.socket.close(refusal, 'Refused by the simulator');
      return;
    }
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const person = token ? this.store.personByToken(token) : undefined;
    if (!person || person.id !== session.device.personId) {
      session.info.closedBy = 'server';
      session.socket.close(person ? CLOSE.forbidden : CLOSE.notAuthorized, 'Authentication failed');
      return;
    }
    session.info.state = 'authorized';
    session.info.authorizedAt = this.store.now();
    const ready: BufferStateFrame = {
      ...this.frameCommon(session, 'none'),
      data: { eventType: 'mercury.buffer_state', bufferState: { conversation: 'UNKNOWN', locus: 'UNKNOWN' } },
    };
    session.socket.send(JSON.stringify(ready));
    this.changed('updated', session.info.id);
  }

  private onClose(session: Session, code: number, reason: string): void {
    clearTimeout(session.timer);
    if (!this.sessions.delete(session.info.id)) return;
    session.info.state = 'closed';
    session.info.closedAt = this.store.now();
    session.info.closeCode = code;
    session.info.closeReason = reason;
    session.info.closedBy ??= 'client';
    this.closed.push(session.info);
    if (this.closed.length > MAX_RECORDS) this.closed.splice(0, this.closed.length - MAX_RECORDS);
    this.changed('deleted', session.info.id);
  }

  private frameCommon(session: Session, alertType: 'full' | 'none' = 'full') {
    session.info.sent += 1;
    return {
      id: randomUUID(),
      timestamp: Date.now(),
      trackingId: trackingId(),
      alertType,
      headers: {},
      sequenceNumber: session.info.sent,
      filterMessage: false,
    };
  }

  private record(record: MercuryFrameRecord): MercuryFrameRecord {
    this.records.push(record);
    if (this.records.length > MAX_RECORDS) this.records.splice(0, this.records.length - MAX_RECORDS);
    this.changed('created', record.frameId);
    return record;
  }

  private changed(action: 'created' | 'updated' | 'deleted', id: string): void {
    this.store.changed({ kind: 'socket', action, id });
  }
}
