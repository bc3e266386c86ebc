/** Seed data of the SMC simulator: the security-event type catalogue and the host-group tree. */

/** A security-event type as `…/security-events/templates` lists it. */
export interface SimTemplate {
  id: number;
  name: string;
  description: string;
}

/**
 * Ids 16, 30, 262 and 310 are the ones api-contracts.md §1.4 found in Cisco code. Every other id
 * below is ILLUSTRATIVE: the names are SNA-style, the numbers are made up for the simulator.
 */
export const TEMPLATES: readonly SimTemplate[] = [
  { id: 16, name: 'High Total Traffic', description: 'Total traffic of the host exceeded its baseline or threshold.' },
  { id: 30, name: 'High Traffic', description: 'Traffic of the host over a 5-minute window exceeded its threshold.' },
  { id: 262, name: 'Reset/tcp', description: 'The host sent TCP resets, typical of probing closed ports.' },
  { id: 310, name: 'Flow_Denied', description: 'A firewall denied flows from the host.' },
  // Illustrative ids from here on.
  { id: 901, name: 'Suspect Data Hoarding', description: 'The host downloaded unusually much data from inside hosts.' },
  { id: 902, name: 'Target Data Hoarding', description: 'Unusually much data was downloaded from the host.' },
  { id: 903, name: 'Data Exfiltration', description: 'The host uploaded unusually much data to outside hosts.' },
  { id: 904, name: 'Port Scan', description: 'The host probed many ports of another host.' },
  { id: 905, name: 'Addr_Scan/tcp', description: 'The host probed many addresses on one TCP port.' },
  { id: 906, name: 'Brute Force Login', description: 'Many failed logins from the host to one service.' },
  { id: 907, name: 'Beaconing Host', description: 'The host contacts an outside host at regular intervals.' },
  { id: 908, name: 'Connection to Bogon Address', description: 'The host talked to an unallocated address.' },
  { id: 909, name: 'SSH Reverse Shell', description: 'An SSH session behaves like a reverse shell.' },
  { id: 910, name: 'Worm Activity', description: 'The host scans and gets scanned like a worm spreading.' },
];

/** The editable part of a host group ("tag"). */
export interface SimHostGroup {
  id: number;
  name: string;
  location: 'INSIDE' | 'OUTSIDE';
  description: string;
  /** `0` for a top-level group, as in Cisco's samples. */
  parentId: number;
  ranges: string[];
  hostBaselines: boolean;
  suppressExcludedServices: boolean;
  inverseSuppression: boolean;
  hostTrap: boolean;
  sendToCta: boolean;
}

/** Ids 1, 65534 and 61627 appear in captured SMC data; the others are illustrative. */
export function seedHostGroups(): SimHostGroup[] {
  const group = (
    g: Pick<SimHostGroup, 'id' | 'name' | 'location' | 'parentId'> & Partial<SimHostGroup>,
  ): SimHostGroup => ({
    description: '',
    ranges: [],
    hostBaselines: g.location === 'INSIDE',
    suppressExcludedServices: true,
    inverseSuppression: false,
    hostTrap: false,
    sendToCta: false,
    ...g,
  });
  return [
    group({ id: 1, name: 'Inside Hosts', location: 'INSIDE', parentId: 0 }),
    group({
      id: 65534,
      name: 'Catch All',
      location: 'INSIDE',
      parentId: 1,
      description: 'Inside addresses in no other group.',
      ranges: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'],
    }),
    group({ id: 50001, name: 'Servers', location: 'INSIDE', parentId: 1, ranges: ['10.10.0.0/16'] }),
    group({
      id: 50002,
      name: 'Workstations',
      location: 'INSIDE',
      parentId: 1,
      ranges: ['10.20.0.0/16', '192.168.91.0/24'],
    }),
    group({ id: 2, name: 'Outside Hosts', location: 'OUTSIDE', parentId: 0 }),
    group({ id: 61627, name: 'United States', location: 'OUTSIDE', parentId: 2 }),
    group({
      id: 50003,
      name: 'Blocked Hosts',
      location: 'OUTSIDE',
      parentId: 2,
      description: 'Hosts the SOC has blocked.',
    }),
  ];
}

/** Where an outside address lands when no group's ranges cover it (the SMC would geolocate it). */
export const DEFAULT_OUTSIDE_GROUP_ID = 61627;
/** SNA's own group for inside addresses no other group claims. */
export const CATCH_ALL_GROUP_ID = 65534;
