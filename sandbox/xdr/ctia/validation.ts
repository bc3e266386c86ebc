/** Turning zod issues into CTIA's 400 bodies, and the checks zod cannot express. */
import type { z } from 'zod';
import { badRequest, SimHttpError } from '../http.js';
import { DISPOSITION_NAMES } from './schemas.js';

/**
 * Parses `input`, or throws the 400 CTIA (compojure-api) would send: `errors` mirrors the body's
 * shape, with `missing-required-key`, `disallowed-key` or a short reason at each bad field.
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw badRequest(describeIssues(result.error.issues));
}

/** The nested `errors` map of a failed parse. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): unknown {
  let errors: Record<string, unknown> = {};
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors = place(errors, [...issue.path, key], 'disallowed-key');
    } else {
      const missing = issue.code === 'invalid_type' && issue.message.includes('received undefined');
      errors = place(errors, issue.path, missing ? 'missing-required-key' : issue.message);
    }
  }
  return errors;
}

function place(errors: Record<string, unknown>, path: readonly PropertyKey[], reason: string): Record<string, unknown> {
  if (path.length === 0) return { ...errors, '(body)': reason };
  let node = errors;
  path.forEach((segment, index) => {
    const key = String(segment);
    if (index === path.length - 1) {
      setOwn(node, key, reason);
      return;
    }
    const next = Object.hasOwn(node, key) ? node[key] : undefined;
    if (typeof next === 'object' && next !== null) {
      node = next as Record<string, unknown>;
    } else {
      const child: Record<string, unknown> = {};
      setOwn(node, key, child);
      node = child;
    }
  });
  return errors;
}

/** Defines an own property, so a hostile key such as `__proto__` stays data. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * CTIM's disposition rule: neither given ⇒ 5/Unknown; one given ⇒ the other derived; a mismatch ⇒ 400
 * (with CTIM's own spelling of the message).
 */
export function resolveDisposition(
  disposition?: number,
  name?: string,
): { disposition: number; disposition_name: string } {
  if (disposition === undefined && name === undefined) return { disposition: 5, disposition_name: 'Unknown' };
  const derivedName = disposition === undefined ? undefined : DISPOSITION_NAMES[disposition - 1];
  const derivedNumber = name === undefined ? undefined : DISPOSITION_NAMES.indexOf(name as never) + 1;
  if (disposition !== undefined && name !== undefined && derivedName !== name) {
    throw new SimHttpError(400, {
      error: 'Spec Validation Client Error',
      type: 'Invalid Entity Error',
      message: 'Mismatched disposition and dispositon_name',
    });
  }
  return { disposition: disposition ?? derivedNumber ?? 5, disposition_name: name ?? derivedName ?? 'Unknown' };
}

/** A valid time whose end is before its start is refused. */
export function checkTimeOrder(range: { start_time?: string; end_time?: string } | undefined, field: string): void {
  if (range?.start_time && range.end_time && Date.parse(range.end_time) < Date.parse(range.start_time)) {
    throw badRequest({ [field]: { end_time: 'before start_time' } });
  }
}
