/**
 * Dependencies of our dependencies that are loaded at start-up but used only for options the bot
 * never sets: the framework's `validator` (only `isEmail`/`isURL`, for e-mail addresses the bot
 * does not use), `request`'s `http-signature` and `har-validator` (its `httpSignature` and `har`
 * options: the Webex SDK sets neither) and prom-client's `@opentelemetry/api` (exemplars, off).
 * Together about 280 modules, 7 MB of heap and 4–5 MB of resident memory at rest.
 *
 * `deferModule` puts a stand-in for such a CommonJS module into the module cache: its exports load
 * the real module on first use (reading a property, `in`, listing keys) and answer from it from
 * then on, so a caller that does use it gets exactly the real module's behaviour. Must run before
 * the requiring module is first loaded; does nothing when the module is already loaded. For
 * modules whose exports are an object (a stand-in cannot be called).
 */
import { createRequire, Module } from 'node:module';

const standIns = new WeakSet<Module>();

/** Defers `specifier` as required from the file `fromFile` (a path or file URL). */
export function deferModule(fromFile: string, specifier: string): void {
  const require = createRequire(fromFile);
  const path = require.resolve(specifier);
  if (require.cache[path]) return;
  let real: object | undefined;
  const load = (): object => {
    if (real === undefined) {
      delete require.cache[path];
      real = require(path) as object;
    }
    return real;
  };
  const stand = new Module(path);
  stand.filename = path;
  stand.loaded = true;
  stand.exports = new Proxy(
    {},
    {
      get: (_, key) => Reflect.get(load(), key) as unknown,
      has: (_, key) => Reflect.has(load(), key),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
        // A proxy may not report a property non-configurable that its (empty) target lacks.
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
  standIns.add(stand);
  require.cache[path] = stand;
}

/** Whether the real module behind `specifier` (from `fromFile`) has been loaded. */
export function isLoaded(fromFile: string, specifier: string): boolean {
  const require = createRequire(fromFile);
  const cached = require.cache[require.resolve(specifier)];
  return cached !== undefined && !standIns.has(cached);
}
