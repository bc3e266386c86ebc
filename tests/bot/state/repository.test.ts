/** A typed namespace of state: its keys, validation on read, versions and migrations. */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Repository } from '../../../bot/state/repository.js';
import { openStateStore, type StateStore } from '../../../bot/state/store.js';

let state: StateStore | undefined;
afterEach(async () => {
  await state?.close();
  state = undefined;
});

const personSchema = z.object({ name: z.string(), age: z.number() });

async function people(migrate?: (raw: unknown, from: number) => unknown) {
  state = await openStateStore('memory://');
  const invalid: Array<{ namespace: string; key: string; problems: string[] }> = [];
  state.onInvalidRecord = (namespace, key, problems) => invalid.push({ namespace, key, problems });
  const repo = new Repository(state, {
    prefix: 'person',
    schema: personSchema,
    version: 2,
    ...(migrate ? { migrate } : {}),
  });
  return { state, repo, invalid };
}

describe('Repository', () => {
  it('stores under its own prefix and reads back what it stored', async () => {
    const { state, repo } = await people();
    await repo.set('jane', { name: 'Jane', age: 41 });
    expect(await repo.get('jane')).toEqual({ name: 'Jane', age: 41 });
    expect(await state.get('person:jane')).toEqual({ v: 2, d: { name: 'Jane', age: 41 } });
    expect(await repo.getMany(['jane', 'nobody'])).toEqual([{ name: 'Jane', age: 41 }, undefined]);
  });

  it('reads a record that does not validate as absent, and reports it without its values', async () => {
    const { state, repo, invalid } = await people();
    await state.set('person:eve', { v: 2, d: { name: 'Eve', age: 'old' } });
    expect(await repo.get('eve')).toBeUndefined();
    expect(invalid).toEqual([{ namespace: 'person', key: 'person:eve', problems: [expect.stringMatching(/^age: /)] }]);
    expect(JSON.stringify(invalid)).not.toContain('old');
  });

  it('migrates a record written before records carried a version', async () => {
    const { state, repo } = await people((raw, from) =>
      from === 0 && typeof raw === 'object' && raw !== null ? { age: 0, ...raw } : raw,
    );
    await state.set('person:sam', { name: 'Sam' });
    expect(await repo.get('sam')).toEqual({ name: 'Sam', age: 0 });
  });

  it('drops what the schema does not know (an old in-record version field)', async () => {
    const { state, repo } = await people();
    await state.set('person:old', { v: 1, name: 'Old', age: 70 });
    expect(await repo.get('old')).toEqual({ name: 'Old', age: 70 });
  });

  it('keeps a singleton under the bare prefix', async () => {
    const { state, repo } = await people();
    await repo.set('', { name: 'Only', age: 1 });
    expect(await state.get('person')).toEqual({ v: 2, d: { name: 'Only', age: 1 } });
    expect(await repo.delete()).toBe(true);
    expect(await repo.get()).toBeUndefined();
  });
});
