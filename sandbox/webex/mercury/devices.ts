/**
 * WDM device registrations: what `POST /wdm/api/v1/devices` creates for a client that wants
 * Webex's events over a websocket. Each device has its own Mercury URL; a person may have several.
 */
import { randomUUID } from 'node:crypto';
import { uuidOf } from '../model/ids.js';
import type { SimStore } from '../model/store.js';

/** One registered device. */
export interface SimDevice {
  id: string;
  personId: string;
  /** `http://host:port` the device registered through; its URLs are on it. */
  origin: string;
  /** What the client sent (name, deviceType, model, …), kept and echoed like WDM does. */
  body: Record<string, unknown>;
  created: string;
  modified: string;
}

/** The device DTO WDM answers with (the fields webex 2.4.2's device plugin reads). */
export interface DeviceDto extends Record<string, unknown> {
  url: string;
  webSocketUrl: string;
  deviceType: string;
  name: string;
  features: { developer: unknown[]; entitlement: unknown[]; user: unknown[] };
  creationTime: string;
  modificationTime: string;
  userId: string;
  orgId: string;
}

/** The WDM base under an origin, as the u2c catalog advertises it (`wdm` service link). */
export function wdmServiceUrl(origin: string): string {
  return `${origin}/wdm/api/v1`;
}

/** The path of a device's Mercury websocket (what `webSocketUrl` points at). */
export const MERCURY_PATH = /^\/mercury\/v1\/apps\/wx2\/registrations\/([0-9a-f-]{36})\/messages$/;

/** In-memory registry of devices. */
export class DeviceRegistry {
  private readonly devices = new Map<string, SimDevice>();

  constructor(private readonly store: SimStore) {}

  /** Registers a new device for `personId`. */
  register(personId: string, origin: string, body: Record<string, unknown>): SimDevice {
    const now = this.store.now();
    const device: SimDevice = { id: randomUUID(), personId, origin, body: { ...body }, created: now, modified: now };
    this.devices.set(device.id, device);
    this.store.changed({ kind: 'device', action: 'created', id: device.id });
    return device;
  }

  /** A device of `personId`, or `undefined` (unknown, or someone else's: WDM answers 404 alike). */
  get(id: string, personId?: string): SimDevice | undefined {
    const device = this.devices.get(id);
    return device && (personId === undefined || device.personId === personId) ? device : undefined;
  }

  /** Refreshes a device with what the client sent. */
  refresh(device: SimDevice, body: Record<string, unknown>): SimDevice {
    const { url: _url, webSocketUrl: _ws, features: _f, ...rest } = body;
    device.body = { ...device.body, ...rest };
    device.modified = this.store.now();
    this.store.changed({ kind: 'device', action: 'updated', id: device.id });
    return device;
  }

  /** Deletes one device. */
  remove(id: string): boolean {
    const removed = this.devices.delete(id);
    if (removed) this.store.changed({ kind: 'device', action: 'deleted', id });
    return removed;
  }

  /** Every device of a person (all devices without one). */
  list(personId?: string): SimDevice[] {
    return [...this.devices.values()].filter((d) => personId === undefined || d.personId === personId);
  }

  /** Forgets every device. */
  clear(): void {
    this.devices.clear();
  }

  /** The DTO of a device. */
  dto(device: SimDevice): DeviceDto {
    const person = this.store.people.get(device.personId);
    const wsOrigin = device.origin.replace(/^http/, 'ws');
    return {
      deviceType: 'DESKTOP',
      name: 'javascript',
      model: 'web-js-sdk',
      localizedModel: 'webex-js-sdk',
      systemName: 'WEBEX_JS_SDK',
      systemVersion: '1.0.0',
      ...device.body,
      url: `${wdmServiceUrl(device.origin)}/devices/${device.id}`,
      webSocketUrl: `${wsOrigin}/mercury/v1/apps/wx2/registrations/${device.id}/messages`,
      features: { developer: [], entitlement: [], user: [] },
      creationTime: device.created,
      modificationTime: device.modified,
      userId: uuidOf(device.personId),
      orgId: uuidOf(person?.orgId ?? ''),
    };
  }
}
