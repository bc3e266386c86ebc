/**
 * Structured JSON logs (pino). Secrets are redacted by key wherever they appear,
 * and known secret values are scrubbed from messages as a last line of defence.
 */
import { type Logger, pino } from 'pino';

export type { Logger };

const REDACT_PATHS = [
  'token',
  'password',
  'secret',
  'authorization',
  '*.token',
  '*.password',
  '*.secret',
  '*.authorization',
  '*.webhookSecret',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
];

export interface LoggerOptions {
  level: string;
  /** Secret values to scrub from any string that reaches the log. */
  secrets?: string[];
  destination?: pino.DestinationStream;
}

export function createLogger(opts: LoggerOptions): Logger {
  const secrets = (opts.secrets ?? []).filter((s) => s.length >= 6);
  const scrub = (value: string): string => secrets.reduce((acc, s) => acc.split(s).join('[REDACTED]'), value);
  return pino(
    {
      level: opts.level,
      base: { service: 'sna-chatops' },
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        logMethod(args, method) {
          const cleaned = args.map((a) => (typeof a === 'string' ? scrub(a) : a)) as Parameters<typeof method>;
          method.apply(this, cleaned);
        },
      },
      serializers: {
        err: (err: unknown) => {
          const s = pino.stdSerializers.err(err as Error);
          return { ...s, message: scrub(s.message ?? ''), stack: s.stack ? scrub(s.stack) : undefined };
        },
      },
    },
    opts.destination,
  );
}
