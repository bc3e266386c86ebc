/**
 * The page's files: `public/` as is, the scripts of `page/` compiled from TypeScript once at
 * start-up with esbuild's transform API (one ES module per file, no bundling: the browser
 * follows the `./x.js` imports), and the `adaptivecards` renderer straight from node_modules.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { transform } from 'esbuild';

const HERE = import.meta.dirname;
const JAVASCRIPT = 'text/javascript; charset=utf-8';

/** Static files the web space serves, by URL path. */
export interface Asset {
  contentType: string;
  body: string;
}

/** Compiles the page and reads every file it needs; fails fast when one is missing or broken. */
export async function loadAssets(): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  const html = 'text/html; charset=utf-8';
  assets.set('/', { contentType: html, body: await readFile(join(HERE, 'public/index.html'), 'utf8') });
  assets.set('/styles.css', {
    contentType: 'text/css; charset=utf-8',
    body: await readFile(join(HERE, 'public/styles.css'), 'utf8'),
  });
  const adaptiveCards = createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.min.js');
  assets.set('/vendor/adaptivecards.min.js', { contentType: JAVASCRIPT, body: await readFile(adaptiveCards, 'utf8') });
  for (const [name, code] of await compilePage(join(HERE, 'page'))) {
    assets.set(`/app/${name}`, { contentType: JAVASCRIPT, body: code });
  }
  return assets;
}

/** `page/*.ts` → `{name.js: code}`, with inline source maps for the browser's debugger. */
async function compilePage(dir: string): Promise<Map<string, string>> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'));
  const compiled = await Promise.all(
    names.map(async (name) => {
      const source = await readFile(join(dir, name), 'utf8');
      const { code } = await transform(source, {
        loader: 'ts',
        format: 'esm',
        target: 'es2022',
        sourcefile: `page/${name}`,
        sourcemap: 'inline',
        tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
      });
      return [name.replace(/\.ts$/, '.js'), code] as const;
    }),
  );
  return new Map(compiled);
}
