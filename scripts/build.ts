/**
 * `npm run build`: bundles the bot (`bot/main.ts`) and the smoke check (`scripts/smoke.ts`) into
 * plain ES modules under `dist/` (`dist/bot/main.mjs`, `dist/scripts/smoke.mjs`), which `npm start`
 * and the Docker image run with plain `node`. Packages stay in node_modules (not bundled); only our
 * own TypeScript is compiled. Running compiled JavaScript instead of the tsx loader saves about
 * 40 MB of resident memory and 0.4 s of start-up (the loader's worker thread and its compile cache).
 * Type checking is `npm run typecheck`'s job: esbuild only strips types.
 */
import { build } from 'esbuild';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(import.meta.dirname, '..');
export const ENTRY_POINTS = ['bot/main.ts', 'scripts/smoke.ts'];
/** Where `npm start` finds the bot. */
export const BOT_BUNDLE = resolve(ROOT, 'dist/bot/main.mjs');
export const SMOKE_BUNDLE = resolve(ROOT, 'dist/scripts/smoke.mjs');
/**
 * Node's flags for running the bot, spelled the same in `npm start` (package.json) and the
 * Dockerfile's CMD (tests/scripts/node-flags.test.ts keeps the three in step; the tests and
 * benchmarks run the bot with these). `--max-semi-space-size=4` caps V8's young generation at 8 MB
 * instead of 32: loading the SDK's ~1,100 modules grows it to its maximum and V8 keeps that memory
 * while the bot idles. About 20 MB less resident memory at rest; the 100,000-event burst used about
 * the same CPU time with it (bench/README.md).
 */
export const NODE_FLAGS = ['--max-semi-space-size=4'] as const;

export async function buildBundles(outdir = resolve(ROOT, 'dist')): Promise<void> {
  await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRY_POINTS,
    outbase: ROOT,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildBundles();
