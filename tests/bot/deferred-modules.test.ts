import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { deferModule, isLoaded } from '../../bot/deferred-modules.js';

const require = createRequire(import.meta.url);
const user = require.resolve('../fixtures/deferred/user.cjs');
const g = globalThis as { deferredFixtureLoads?: number };

describe('a deferred module', () => {
  it('is not loaded by the module that requires it, and works as the real one when used', () => {
    deferModule(user, './counter.cjs');
    const { greetVia } = require(user) as { greetVia: (name: string) => string };
    expect(g.deferredFixtureLoads).toBeUndefined();
    expect(isLoaded(user, './counter.cjs')).toBe(false);

    expect(greetVia('soc')).toBe('hello soc');
    expect(g.deferredFixtureLoads).toBe(1);
    expect(isLoaded(user, './counter.cjs')).toBe(true);

    const counter = require('../fixtures/deferred/counter.cjs') as { answer: number };
    expect(counter.answer).toBe(42);
    expect(greetVia('again')).toBe('hello again');
    expect(g.deferredFixtureLoads).toBe(1);
  });
});
