/** What the Secure Endpoint simulator holds: computers, and which computers saw which observable. */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { SimHttpError } from '../common/index.js';

const ip = z.union([z.ipv4(), z.ipv6()]);

/** A computer (connector), in simulator terms. */
export const simComputerSchema = z.object({
  hostname: z.string().min(1).max(255),
  /** Default: derived from the hostname, so demos keep stable guids. */
  connectorGuid: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/)
    .optional(),
  /** The logged-in user, shown on events. */
  user: z.string().min(1).max(256).optional(),
  operatingSystem: z.string().min(1).max(256).default('Windows 10 Enterprise'),
  internalIps: z.array(ip).max(64).default([]),
  externalIp: ip.optional(),
  active: z.boolean().default(true),
  isolation: z
    .object({ available: z.boolean().default(true), status: z.string().min(1).max(64).default('not_isolated') })
    .default({ available: true, status: 'not_isolated' }),
});

/** Input of `addComputer` / `POST /_sim/computers`. */
export type SimComputerInput = z.input<typeof simComputerSchema>;
/** A stored computer. */
export type SimComputer = z.output<typeof simComputerSchema> & { connectorGuid: string };

/** What a computer activity / file lookup answers for an observable. */
export const seVerdictSchema = z.object({
  /** Computers that saw the observable: hostnames or guids of known computers, or new ones. */
  computers: z.array(z.union([z.string().min(1).max(255), simComputerSchema])).max(500),
  /** For a SHA-256: the detection name; each computer then has a "Threat Detected" event. */
  detection: z.string().min(1).max(1024).optional(),
  fileName: z.string().min(1).max(1024).optional(),
  filePath: z.string().min(1).max(4096).optional(),
  severity: z.enum(['Low', 'Medium', 'High', 'Critical']).default('High'),
  /** When the events happened. Default: when the verdict was set. */
  at: z.iso.datetime({ offset: true }).optional(),
});

/** Input of `setVerdict` / `POST /_sim/verdicts` (there with an `observable` field). */
export type SimSeVerdict = z.input<typeof seVerdictSchema>;

/** A stored verdict: computers resolved to guids. */
export interface StoredVerdict {
  guids: string[];
  detection?: string | undefined;
  fileName?: string | undefined;
  filePath?: string | undefined;
  severity: string;
  at: Date;
}

/** The demo fleet: two laptops, a server and an isolated host. */
export const DEMO_COMPUTERS: readonly SimComputerInput[] = [
  {
    hostname: 'FIN-LAPTOP-07.corp.example',
    user: 'alice@corp.example',
    internalIps: ['10.10.20.7'],
    externalIp: '198.51.100.7',
  },
  {
    hostname: 'ENG-LAPTOP-12.corp.example',
    user: 'bob@corp.example',
    internalIps: ['10.10.30.12'],
    externalIp: '198.51.100.7',
  },
  {
    hostname: 'WEB-SRV-02.corp.example',
    operatingSystem: 'Ubuntu 22.04',
    internalIps: ['10.10.40.2'],
    externalIp: '198.51.100.40',
  },
  {
    hostname: 'HR-DESKTOP-03.corp.example',
    user: 'carol@corp.example',
    internalIps: ['10.10.50.3'],
    isolation: { available: true, status: 'isolated' },
  },
];

/** The EICAR test file's SHA-256. */
export const EICAR_SHA256 = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';

/** Observables the demo fleet saw. */
export const DEMO_VERDICTS: Readonly<Record<string, SimSeVerdict>> = {
  [EICAR_SHA256]: {
    computers: ['FIN-LAPTOP-07.corp.example', 'HR-DESKTOP-03.corp.example'],
    detection: 'W32.EICAR.Test.Sig',
    fileName: 'eicar.com',
    filePath: 'C:\\Users\\alice\\Downloads\\eicar.com',
  },
  '203.0.113.50': { computers: ['ENG-LAPTOP-12.corp.example'] },
  'http://internetbadguys.com/': { computers: ['FIN-LAPTOP-07.corp.example'] },
};

export class SeState {
  readonly computers = new Map<string, SimComputer>();
  readonly verdicts = new Map<string, StoredVerdict>();

  constructor(
    private readonly seed: { computers: readonly SimComputerInput[]; verdicts: Readonly<Record<string, SimSeVerdict>> },
  ) {
    this.reset();
  }

  reset(): void {
    this.computers.clear();
    this.verdicts.clear();
    for (const computer of this.seed.computers) this.addComputer(computer);
    for (const [observable, verdict] of Object.entries(this.seed.verdicts)) this.setVerdict(observable, verdict);
  }

  /** Adds or replaces (same hostname) a computer. */
  addComputer(input: SimComputerInput): SimComputer {
    const parsed = parse(simComputerSchema, input);
    const existing = this.byName(parsed.hostname);
    const computer = {
      ...parsed,
      connectorGuid: parsed.connectorGuid ?? existing?.connectorGuid ?? guidOf(parsed.hostname),
    };
    if (existing) this.computers.delete(existing.connectorGuid);
    this.computers.set(computer.connectorGuid, computer);
    return computer;
  }

  /** Sets which computers saw `observable` (SHA-256, IP, URL or file name; case-insensitive). */
  setVerdict(observable: string, input: SimSeVerdict): void {
    const parsed = parse(seVerdictSchema, input);
    const guids = parsed.computers.map((ref) => {
      if (typeof ref !== 'string') return this.addComputer(ref).connectorGuid;
      const known = this.computers.get(ref) ?? this.byName(ref);
      if (!known) throw new SimHttpError(400, `no computer ${ref}; add it first or describe it inline`);
      return known.connectorGuid;
    });
    const { computers: _computers, at, ...rest } = parsed;
    this.verdicts.set(observable.trim().toLowerCase(), { ...rest, guids, at: at ? new Date(at) : new Date() });
  }

  verdict(observable: string): StoredVerdict | undefined {
    return this.verdicts.get(observable.trim().toLowerCase());
  }

  private byName(hostname: string): SimComputer | undefined {
    const wanted = hostname.toLowerCase();
    return [...this.computers.values()].find((c) => c.hostname.toLowerCase() === wanted);
  }
}

/** A stable, UUID-shaped guid derived from a hostname. */
function guidOf(hostname: string): string {
  const hex = createHash('sha1').update(hostname.toLowerCase()).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new SimHttpError(
    400,
    result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
  );
}
