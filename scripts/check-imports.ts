/**
 * Enforces the one-way dependency rule between top-level folders:
 *   bot → cards, integrations      cards → nothing of ours      integrations → nothing of ours
 *   sandbox → anything (it starts the bot)      production code → never sandbox, tests or bench
 * Exits non-zero listing every import that breaks it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const ALLOWED: Record<string, readonly string[]> = {
  // package.json: the version the relay reports (metadata, not code).
  bot: ['bot', 'cards', 'integrations', 'package.json'],
  cards: ['cards'],
  integrations: ['integrations'],
};

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (path.endsWith('.ts')) yield path;
  }
}

const problems: string[] = [];
for (const [folder, allowed] of Object.entries(ALLOWED)) {
  for (const file of sourceFiles(join(ROOT, folder))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1] ?? match[2] ?? '';
      if (!spec.startsWith('.')) continue;
      const target = relative(ROOT, resolve(dirname(file), spec)).split(/[\\/]/)[0] ?? '';
      if (!allowed.includes(target))
        problems.push(`${relative(ROOT, file)} imports ${spec} (${folder}/ may not depend on ${target}/)`);
    }
  }
}

if (problems.length > 0) {
  process.stderr.write(`Dependency direction broken:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write('imports: dependency direction ok\n');
