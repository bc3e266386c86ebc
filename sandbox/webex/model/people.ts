/** People and bots: creation (with a token) and the lookups of `GET /people`. */
import { randomUUID } from 'node:crypto';
import { badRequest, conflict } from './errors.js';
import { webexId } from './ids.js';
import type { SimStore } from './store.js';
import type { PersonType, WebexPerson } from './types.js';

/** What it takes to create a person. */
export interface NewPersonInput {
  displayName: string;
  email: string;
  type?: PersonType;
  /** A fixed token (the bot's); a fresh one is issued otherwise. */
  token?: string;
}

/** A person together with the access token the simulator issued for them. */
export interface PersonWithToken {
  person: WebexPerson;
  token: string;
}

/**
 * Creates a person (or bot) with a token. Tokens look like real Webex tokens
 * (`<name>_PF84_<uuid>`: three `_`-separated parts) so the SDK's u2c bootstrap accepts them.
 */
export function createPerson(store: SimStore, input: NewPersonInput): PersonWithToken {
  const email = input.email.trim();
  if (!input.displayName.trim() || !/^[^@\s]+@[^@\s]+$/.test(email)) {
    throw badRequest('A person needs a displayName and a valid email.');
  }
  if (store.personByEmail(email)) throw conflict(`A person with email ${email} already exists.`);
  const [firstName = '', ...rest] = input.displayName.trim().split(/\s+/);
  const type = input.type ?? 'person';
  const person: WebexPerson = {
    id: webexId('PEOPLE'),
    emails: [email],
    displayName: input.displayName.trim(),
    nickName: firstName,
    firstName,
    lastName: rest.join(' '),
    orgId: store.orgId,
    type,
    created: store.now(),
  };
  const prefix = type === 'bot' ? 'SIMBOTTOKEN' : 'SIMUSERTOKEN';
  const token = input.token ?? `${prefix}_PF84_${randomUUID()}`;
  store.addPerson(person, token);
  return { person, token };
}

/** `GET /people?id=A,B` / `?email=` / `?displayName=`: the matching people and the unknown ids. */
export function findPeople(
  store: SimStore,
  query: { ids?: string[] | undefined; email?: string | undefined; displayName?: string | undefined },
): { items: WebexPerson[]; notFoundIds?: string[] } {
  if (query.ids) {
    const items: WebexPerson[] = [];
    const notFoundIds: string[] = [];
    for (const id of query.ids) {
      const person = store.people.get(id);
      if (person) items.push(person);
      else notFoundIds.push(id);
    }
    return notFoundIds.length ? { items, notFoundIds } : { items };
  }
  if (query.email !== undefined) {
    const person = store.personByEmail(query.email);
    return { items: person ? [person] : [] };
  }
  if (query.displayName !== undefined) {
    const prefix = query.displayName.toLowerCase();
    return {
      items: [...store.people.values()].filter((p) => p.displayName.toLowerCase().startsWith(prefix)),
    };
  }
  throw badRequest('Listing people requires one of: id, email, displayName.');
}
