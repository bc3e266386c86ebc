/**
 * `/wdm/api/v1/devices`: device registration (WDM), which webex 2.4.2's device plugin calls
 * before it opens the Mercury websocket (`POST`), refreshes (`PUT` on the device URL) and
 * removes on stop (`DELETE` on the device URL). `DELETE /devices` (every device of the caller)
 * is what the framework's `removeDeviceRegistrationsOnStart` sends.
 */
import { type Request, Router } from 'express';
import { callerOf } from '../http/auth.js';
import { isRecord } from '../model/guards.js';
import { notFound } from '../model/errors.js';
import type { DeviceRegistry } from '../mercury/devices.js';
import type { MercuryHub } from '../mercury/hub.js';

function originOf(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`;
}

function bodyOf(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  return isRecord(body) ? body : {};
}

/** Routes of WDM (authenticated like the REST API). */
export function wdmRoutes(devices: DeviceRegistry, mercury: MercuryHub): Router {
  const router = Router();
  const mine = (req: Request, id: string) => {
    const device = devices.get(id, callerOf(req).id);
    if (!device) throw notFound('Device not found.');
    return device;
  };

  router.post('/devices', (req, res) => {
    res.json(devices.dto(devices.register(callerOf(req).id, originOf(req), bodyOf(req))));
  });
  router.get('/devices', (req, res) => {
    res.json({ devices: devices.list(callerOf(req).id).map((d) => devices.dto(d)) });
  });
  router.delete('/devices', (req, res) => {
    for (const device of devices.list(callerOf(req).id)) {
      devices.remove(device.id);
      mercury.closeDevice(device.id);
    }
    res.status(204).end();
  });
  router.get('/devices/:deviceId', (req, res) => {
    res.json(devices.dto(mine(req, req.params.deviceId)));
  });
  router.put('/devices/:deviceId', (req, res) => {
    res.json(devices.dto(devices.refresh(mine(req, req.params.deviceId), bodyOf(req))));
  });
  router.delete('/devices/:deviceId', (req, res) => {
    const device = mine(req, req.params.deviceId);
    devices.remove(device.id);
    mercury.closeDevice(device.id);
    res.status(204).end();
  });
  return router;
}
