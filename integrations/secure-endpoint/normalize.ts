/** Wire records to the domain types of `types.ts`. Absent and `null` fields stay absent. */
import type { WireComputer, WireEvent } from './schemas.js';
import type { SeComputer, SeEvent, SeEventFile } from './types.js';

export function toComputer(wire: WireComputer): SeComputer {
  return {
    connectorGuid: wire.connector_guid,
    hostname: wire.hostname,
    active: wire.active,
    ...defined('operatingSystem', wire.operating_system),
    internalIps: wire.internal_ips ?? [],
    ...defined('externalIp', wire.external_ip),
    ...defined('isolation', wire.isolation),
    links: {
      ...defined('computer', wire.links?.computer),
      ...defined('trajectory', wire.links?.trajectory),
      ...defined('group', wire.links?.group),
    },
  };
}

export function toEvent(wire: WireEvent): SeEvent {
  const computer = wire.computer;
  return {
    id: String(wire.id),
    time: new Date(wire.timestamp * 1000).toISOString(),
    eventType: wire.event_type,
    eventTypeId: wire.event_type_id,
    ...defined('detection', wire.detection),
    ...defined('severity', wire.severity),
    ...defined('connectorGuid', wire.connector_guid ?? computer?.connector_guid),
    ...(computer
      ? {
          computer: {
            connectorGuid: computer.connector_guid,
            hostname: computer.hostname,
            ...defined('user', computer.user),
            ...defined('externalIp', computer.external_ip),
            internalIps: (computer.network_addresses ?? []).flatMap((a) => (a.ip ? [a.ip] : [])),
          },
        }
      : {}),
    ...(wire.file ? { file: toEventFile(wire.file) } : {}),
  };
}

function toEventFile(file: NonNullable<WireEvent['file']>): SeEventFile {
  return {
    ...defined('disposition', file.disposition),
    ...defined('fileName', file.file_name),
    ...defined('filePath', file.file_path),
    ...defined('sha256', file.identity?.sha256?.toLowerCase()),
    ...defined('sha1', file.identity?.sha1?.toLowerCase()),
    ...defined('md5', file.identity?.md5?.toLowerCase()),
    ...defined('parentFileName', file.parent?.file_name),
    ...defined('parentSha256', file.parent?.identity?.sha256?.toLowerCase()),
  };
}

/** `{ [key]: value }` when the value is present, `{}` otherwise. */
function defined<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return value === null || value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
