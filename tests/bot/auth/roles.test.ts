/**
 * Role matching, closed by default: listed people, `*` as an explicit opt-in, and the alert
 * space's members when BOT_OPERATORS is empty.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AlertSpaceMembers, type SpaceMember } from '../../../bot/auth/alert-space.js';
import { Roles } from '../../../bot/auth/roles.js';
import { openStateStore, type StateStore } from '../../../bot/state/store.js';

const jane = { id: 'p-jane', email: 'Jane@SOC.example' };
const riley = { id: 'p-riley', email: 'riley@soc.example' };
const sam = { id: 'p-sam', email: 'sam@contractor.example' };
const member = { id: 'p-member', email: 'member@elsewhere.example' };
const noEmail = { id: 'p-anon', email: undefined };

let state: StateStore | undefined;
afterEach(async () => {
  await state?.close();
  state = undefined;
});

/** The alert space as Webex lists it; `lists` counts the lookups. */
async function alertSpace(initial: string[]) {
  state = await openStateStore('memory://');
  const space = { ids: initial, lists: 0 };
  const members = new AlertSpaceMembers({
    roomId: 'room-alerts',
    list: async (): Promise<SpaceMember[]> => {
      space.lists += 1;
      return space.ids.map((personId) => ({ personId }));
    },
    state,
    now: () => new Date(),
  });
  return { members, space };
}

describe('Roles', () => {
  it.each([
    // operators, responders, actor, expected role
    [['@soc.example'], ['riley@soc.example'], jane, 'operator'],
    [['@soc.example'], ['riley@soc.example'], riley, 'responder'],
    [['@soc.example'], ['riley@soc.example'], sam, 'none'],
    [['@soc.example'], [], member, 'none'],
    [['jane@soc.example'], [], jane, 'operator'],
    [['jane@soc.example'], [], { id: 'x', email: 'jane@soc.example.evil' }, 'none'],
    [['@soc.example'], [], { id: 'x', email: 'eve@evil-soc.example' }, 'none'],
    [['@soc.example'], [], { id: 'x', email: 'eve@sub.soc.example' }, 'none'],
    [['@soc.example'], [], noEmail, 'none'],
    [['*'], [], sam, 'operator'],
    [['*'], [], noEmail, 'operator'],
    [[], ['riley@soc.example'], riley, 'responder'],
    [[], [], jane, 'operator'],
    [[], [], member, 'operator'],
    [[], [], sam, 'none'],
    [[], [], noEmail, 'none'],
  ] as const)('operators %j, responders %j: %j is %s', async (operators, responders, actor, role) => {
    const { members } = await alertSpace([jane.id, member.id, riley.id]);
    const roles = new Roles({ operators: [...operators], responders: [...responders], members });
    expect(await roles.roleOf(actor)).toBe(role);
  });

  it('lets nobody act when BOT_OPERATORS is empty and the alert space has no one else', async () => {
    const { members } = await alertSpace([]);
    const roles = new Roles({ operators: [], responders: [], members });
    expect(await roles.allows(jane, 'operator')).toBe(false);
    expect(await roles.allows(jane, 'everyone')).toBe(true);
    expect(await roles.allows(jane, 'responder')).toBe(false);
  });

  it('never lets an operator block: responders must be listed', async () => {
    const { members } = await alertSpace([jane.id]);
    const roles = new Roles({ operators: [], responders: [], members });
    expect(await roles.allows(jane, 'operator')).toBe(true);
    expect(await roles.allows(jane, 'responder')).toBe(false);
  });

  it('says who the operators are in refusals', async () => {
    const { members } = await alertSpace([]);
    expect(new Roles({ operators: [], responders: [], members }).describe('operator')).toContain('alert space');
    expect(new Roles({ operators: ['@soc.example'], responders: [], members }).describe('operator')).toContain(
      'BOT_OPERATORS',
    );
  });
});

describe('AlertSpaceMembers', () => {
  it('asks Webex once, then answers from state until a membership change invalidates it', async () => {
    const { members, space } = await alertSpace([jane.id]);
    expect(await members.has(jane.id)).toBe(true);
    expect(await members.has(member.id)).toBe(false);
    expect(space.lists).toBe(1);
    space.ids = [member.id];
    expect(await members.has(jane.id)).toBe(true);
    await members.invalidate();
    expect(await members.has(jane.id)).toBe(false);
    expect(await members.has(member.id)).toBe(true);
    expect(space.lists).toBe(2);
  });

  it('fetches once for many people asking at the same moment', async () => {
    const { members, space } = await alertSpace([jane.id, member.id]);
    const answers = await Promise.all([jane, member, sam, jane, member].map((p) => members.has(p.id)));
    expect(answers).toEqual([true, true, false, true, true]);
    expect(space.lists).toBe(1);
  });

  it('fails closed when Webex cannot list the members', async () => {
    state = await openStateStore('memory://');
    const members = new AlertSpaceMembers({
      roomId: 'room-alerts',
      list: async () => {
        throw new Error('Webex unreachable');
      },
      state,
      now: () => new Date(),
    });
    await expect(members.has(jane.id)).rejects.toThrow('Webex unreachable');
  });
});
