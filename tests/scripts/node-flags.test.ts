import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NODE_FLAGS } from '../../scripts/build.js';

// The bot's Node flags (memory at rest) are spelled in three places: `npm start`, the image's CMD,
// and NODE_FLAGS, which the tests and benchmarks run the bot with. They must not drift apart, or
// the benchmarks would measure a bot that is not the one deployed.
const root = new URL('../../', import.meta.url);

describe('the Node flags the bot runs with', () => {
  it('are the same in npm start, the Dockerfile and the tests’ child bots', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: { start: string } };
    expect(pkg.scripts.start).toBe(['node', ...NODE_FLAGS, 'dist/bot/main.mjs'].join(' '));

    const cmd = readFileSync(new URL('Dockerfile', root), 'utf8')
      .split('\n')
      .find((line) => line.startsWith('CMD '));
    expect(cmd).toBe(`CMD ${JSON.stringify(['node', ...NODE_FLAGS, 'dist/bot/main.mjs']).replaceAll(',', ', ')}`);
  });
});
