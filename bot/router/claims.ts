/**
 * "First one wins" for incoming messages and presses: each is claimed by its Webex id before
 * anything runs, across replicas (Redis) and restarts (SQLite), so a replayed or doubly
 * delivered webhook does nothing.
 */
import { z } from 'zod';
import { Repository } from '../state/repository.js';
import type { StateStore } from '../state/store.js';

export type Incoming = 'message' | 'press';

export class IncomingClaims {
  private readonly byKind: Record<Incoming, Repository<z.ZodBoolean>>;

  constructor(state: StateStore) {
    this.byKind = {
      message: new Repository(state, { prefix: 'message', schema: z.boolean(), version: 1 }),
      press: new Repository(state, { prefix: 'press', schema: z.boolean(), version: 1 }),
    };
  }

  /** True for the first delivery of this message or press within `ttlMs`. */
  claim(kind: Incoming, id: string, ttlMs: number): Promise<boolean> {
    return this.byKind[kind].claim(id, ttlMs);
  }
}
