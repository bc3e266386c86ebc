/** Host groups ("tags") of the simulated SMC (api-contracts.md §1.7): list, get, create, replace, delete. */
import { z } from 'zod';
import type { SimHostGroup } from './catalogue.js';
import { parseJsonBody, SimHttpError, type SimRequest, type SimResponse } from './http.js';
import type { SimState } from './state.js';

/** Built-in groups the SMC does not let users edit. */
const BUILT_IN = new Set([1, 2, 65534]);

const rangeSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[0-9A-Fa-f:./-]+$/, 'not an address, CIDR or range');

/** Loose: clients send back what they read, `display` objects and all. */
const tagBodySchema = z.looseObject({
  id: z.int().optional(),
  name: z.string().min(1).max(256),
  location: z.enum(['INSIDE', 'OUTSIDE']),
  description: z.string().max(4096).nullish(),
  parentId: z.int().nullish(),
  ranges: z.array(rangeSchema).max(10_000).optional(),
  hostBaselines: z.boolean().optional(),
  suppressExcludedServices: z.boolean().optional(),
  inverseSuppression: z.boolean().optional(),
  hostTrap: z.boolean().optional(),
  sendToCta: z.boolean().optional(),
});

type TagBody = z.infer<typeof tagBodySchema>;

/** `GET …/tags`: the list carries a few fields only. */
export function listHostGroups(state: SimState, tenantId: number): SimResponse {
  const groups = groupsOf(state, tenantId);
  const data = [...groups.values()].map((g) => ({
    id: g.id,
    name: g.name,
    location: g.location,
    parentId: g.parentId,
    domainId: tenantId,
  }));
  return { status: 200, json: { data } };
}

/** `GET …/tags/{id}` */
export function getHostGroup(state: SimState, tenantId: number, id: number): SimResponse {
  const groups = groupsOf(state, tenantId);
  return { status: 200, json: { data: toWireTag(findGroup(groups, id), tenantId, groups) } };
}

/** `POST …/tags` with an array of tag objects; answers the created ones with their new ids. */
export function createHostGroups(state: SimState, tenantId: number, req: SimRequest): SimResponse {
  const groups = groupsOf(state, tenantId);
  const bodies = parseBody(z.array(tagBodySchema).min(1).max(100), req.body);
  const created = bodies.map((body) => {
    checkParent(groups, body.parentId ?? 0);
    const group = fromBody(state.nextHostGroupId++, body);
    groups.set(group.id, group);
    return group;
  });
  return { status: 200, json: { data: created.map((g) => toWireTag(g, tenantId, groups)) } };
}

/** `PUT …/tags/{id}` with the whole object (read-modify-write). */
export function replaceHostGroup(state: SimState, tenantId: number, id: number, req: SimRequest): SimResponse {
  const groups = groupsOf(state, tenantId);
  findGroup(groups, id);
  const body = parseBody(tagBodySchema, req.body);
  if (body.id !== undefined && body.id !== id)
    throw new SimHttpError(400, 'BAD_REQUEST', 'body id differs from path id');
  const parentId = body.parentId ?? 0;
  if (parentId === id) throw new SimHttpError(400, 'BAD_REQUEST', 'a host group cannot be its own parent');
  checkParent(groups, parentId);
  const group = fromBody(id, body);
  groups.set(id, group);
  return { status: 200, json: { data: toWireTag(group, tenantId, groups) } };
}

/** `DELETE …/tags/{id}` */
export function deleteHostGroup(state: SimState, tenantId: number, id: number): SimResponse {
  const groups = groupsOf(state, tenantId);
  findGroup(groups, id);
  if (BUILT_IN.has(id)) throw new SimHttpError(400, 'BAD_REQUEST', `host group ${id} is built in`);
  if ([...groups.values()].some((g) => g.parentId === id)) {
    throw new SimHttpError(400, 'BAD_REQUEST', `host group ${id} has child groups`);
  }
  groups.delete(id);
  return { status: 200 };
}

function groupsOf(state: SimState, tenantId: number): Map<number, SimHostGroup> {
  const groups = state.hostGroups.get(tenantId);
  if (!groups) throw new SimHttpError(404, 'NOT_FOUND', `no tenant ${tenantId}`);
  return groups;
}

function findGroup(groups: ReadonlyMap<number, SimHostGroup>, id: number): SimHostGroup {
  const group = groups.get(id);
  if (!group) throw new SimHttpError(404, 'NOT_FOUND', `no host group ${id}`);
  return group;
}

function checkParent(groups: ReadonlyMap<number, SimHostGroup>, parentId: number): void {
  if (parentId !== 0 && !groups.has(parentId))
    throw new SimHttpError(400, 'BAD_REQUEST', `no parent host group ${parentId}`);
}

function parseBody<S extends z.ZodType>(schema: S, body: string): z.output<S> {
  const parsed = schema.safeParse(parseJsonBody(body));
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new SimHttpError(400, 'BAD_REQUEST_UNMARSHALING_FAILED', issues);
}

function fromBody(id: number, body: TagBody): SimHostGroup {
  return {
    id,
    name: body.name,
    location: body.location,
    description: body.description ?? '',
    parentId: body.parentId ?? 0,
    ranges: [...new Set(body.ranges ?? [])],
    hostBaselines: body.hostBaselines ?? body.location === 'INSIDE',
    suppressExcludedServices: body.suppressExcludedServices ?? true,
    inverseSuppression: body.inverseSuppression ?? false,
    hostTrap: body.hostTrap ?? false,
    sendToCta: body.sendToCta ?? false,
  };
}

/**
 * The full tag object, with the `display`/`parentDisplay` blocks the SMC derives from the tree, and
 * no `ranges` key when the group holds no range.
 */
function toWireTag(
  group: SimHostGroup,
  tenantId: number,
  groups: ReadonlyMap<number, SimHostGroup>,
): Record<string, unknown> {
  const parent = groups.get(group.parentId);
  return {
    id: group.id,
    domainId: tenantId,
    name: group.name,
    location: group.location,
    description: group.description,
    parentId: group.parentId,
    // A real SMC (7.2.1) leaves `ranges` out of a group that holds none, while it keeps other
    // empty arrays such as `display.path: []` (api-contracts.md §1.7).
    ...(group.ranges.length > 0 ? { ranges: [...group.ranges] } : {}),
    hostBaselines: group.hostBaselines,
    suppressExcludedServices: group.suppressExcludedServices,
    inverseSuppression: group.inverseSuppression,
    hostTrap: group.hostTrap,
    sendToCta: group.sendToCta,
    sendToCognitiveFilter: 'CROSS_PERIMETER',
    display: display(group, tenantId, groups),
    ...(parent ? { parentDisplay: display(parent, tenantId, groups) } : {}),
  };
}

function display(
  group: SimHostGroup,
  tenantId: number,
  groups: ReadonlyMap<number, SimHostGroup>,
): Record<string, unknown> {
  const ancestors: SimHostGroup[] = [];
  for (let g = groups.get(group.parentId); g && ancestors.length < 64; g = groups.get(g.parentId)) ancestors.unshift(g);
  return {
    domainId: tenantId,
    editable: !BUILT_IN.has(group.id),
    id: group.id,
    idPath: [...ancestors.map((a) => a.id), group.id],
    location: group.location,
    name: group.name,
    path: ancestors.map((a) => a.name),
  };
}
