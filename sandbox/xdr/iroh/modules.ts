/**
 * The simulated enrichment modules, the verdict table tests and demos fill, and module failures.
 * "Private Intelligence" reads the simulator's own CTIA judgements; the others answer from the table.
 */
import { SimHttpError } from '../http.js';

/** Verdict dispositions: 1 Clean, 2 Malicious, 3 Suspicious, 4 Common, 5 Unknown. */
export type SimDisposition = 1 | 2 | 3 | 4 | 5;

export const DISPOSITION_NAMES: Readonly<Record<SimDisposition, string>> = {
  1: 'Clean',
  2: 'Malicious',
  3: 'Suspicious',
  4: 'Common',
  5: 'Unknown',
};

/** A simulated module. */
export interface SimModule {
  name: string;
  instanceId: string;
  typeId: string;
  /** Observable types it answers for. */
  types: ReadonlySet<string>;
  /** Reports Unknown (5) for supported observables it has no verdict for. */
  unknownByDefault: boolean;
  /** Reports sightings for observables it judged Malicious or Suspicious. */
  sightings: boolean;
}

const NETWORK = ['ip', 'ipv6', 'domain', 'url', 'email'];
const HASHES = ['sha256', 'sha1', 'md5'];

/** The modules, in the order their answers are listed. */
export const MODULES: readonly SimModule[] = [
  module('Private Intelligence', '7a5c0b55-2d5e-4d6c-9e22-5f7c0a3b9e01', 'f0e6f1e8-2b0c-4c52-9a51-0c1d8e9b5a01', [
    ...NETWORK,
    ...HASHES,
    'hostname',
  ]),
  module(
    'Talos Intelligence',
    '03ce55b5-6c61-4a3b-8f0a-2d1e7b6c4d02',
    '2460c99b-7b5f-4b8e-9c3d-1e2f3a4b5c02',
    NETWORK,
    {
      unknownByDefault: true,
    },
  ),
  module(
    'AMP File Reputation',
    '21efe095-3f4b-4c8d-a1e2-6b7c8d9e0f03',
    '6f24c0f4-8a9b-4c1d-b2e3-7f8a9b0c1d03',
    HASHES,
    {
      unknownByDefault: true,
    },
  ),
  module(
    'Secure Endpoint',
    '4b8e2c7d-5a6f-4e1b-9c3d-8e9f0a1b2c04',
    '9d1a3c5e-7f9b-4d2e-8a6c-0b2d4f6a8c04',
    [...NETWORK, ...HASHES, 'hostname'],
    { sightings: true },
  ),
];

/** The module that reports an observable's table verdict when none is named. */
export function defaultModuleFor(type: string): string {
  return HASHES.includes(type) ? 'AMP File Reputation' : 'Talos Intelligence';
}

/** A verdict set in the table. */
export interface TableVerdict {
  module: string;
  observable: { type: string; value: string };
  disposition: SimDisposition;
  reason?: string;
}

/** Verdicts per module and observable, and the modules told to fail. */
export class VerdictTable {
  private readonly verdicts = new Map<string, TableVerdict>();
  private readonly failures = new Map<string, string>();

  /** Sets (or replaces) what `module` says about an observable. */
  set(verdict: TableVerdict): void {
    moduleNamed(verdict.module);
    this.verdicts.set(key(verdict.module, verdict.observable), { ...verdict, observable: { ...verdict.observable } });
  }

  get(moduleName: string, observable: { type: string; value: string }): TableVerdict | undefined {
    return this.verdicts.get(key(moduleName, observable));
  }

  /** From now on `module` fails with `message` (an `errors[]` entry inside a 200) until restored. */
  fail(moduleName: string, message: string): void {
    this.failures.set(moduleNamed(moduleName).name, message);
  }

  restore(moduleName: string): void {
    this.failures.delete(moduleNamed(moduleName).name);
  }

  failure(moduleName: string): string | undefined {
    return this.failures.get(moduleName);
  }

  snapshot(): { verdicts: TableVerdict[]; failedModules: { module: string; message: string }[] } {
    return {
      verdicts: [...this.verdicts.values()],
      failedModules: [...this.failures].map(([moduleName, message]) => ({ module: moduleName, message })),
    };
  }

  clear(): void {
    this.verdicts.clear();
    this.failures.clear();
  }
}

/** The module with this name. @throws SimHttpError 400 when there is none. */
export function moduleNamed(name: string): SimModule {
  const found = MODULES.find((m) => m.name === name);
  if (!found) {
    throw new SimHttpError(400, {
      error: 'unknown_module',
      message: `no module "${name}"; known: ${MODULES.map((m) => m.name).join(', ')}`,
    });
  }
  return found;
}

function key(moduleName: string, observable: { type: string; value: string }): string {
  return JSON.stringify([moduleName, observable.type, observable.value]);
}

function module(
  name: string,
  instanceId: string,
  typeId: string,
  types: readonly string[],
  flags: { unknownByDefault?: boolean; sightings?: boolean } = {},
): SimModule {
  return {
    name,
    instanceId,
    typeId,
    types: new Set(types),
    unknownByDefault: flags.unknownByDefault ?? false,
    sightings: flags.sightings ?? false,
  };
}
