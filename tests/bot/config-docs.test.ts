import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENV_VARS } from '../../bot/config.js';

const read = (name: string) => readFileSync(new URL(`../../${name}`, import.meta.url), 'utf8');

describe('configuration documentation', () => {
  it.each(['README.md', '.env.example'])('%s names every variable the bot reads', (file) => {
    const text = read(file);
    const missing = ENV_VARS.filter((name) => !text.includes(name));
    expect(missing).toEqual([]);
    expect(ENV_VARS.length).toBeGreaterThan(40);
  });
});
