/** Small, strict argument readers shared by command files. Reasons read as plain words. */
import { userText } from '../../cards/format.js';
import { INCIDENT_ID } from '../incidents/workflow.js';
import { type Observable, parseObservable } from '../observables/parse.js';
import type { ParseResult } from '../router/types.js';

/** Splits off the first word; the rest stays as typed (host-group names have spaces). */
export function firstAndRest(args: string): [string, string] {
  const match = /^(\S*)\s*([\s\S]*)$/.exec(args.trim());
  return [match?.[1] ?? '', (match?.[2] ?? '').trim()];
}

/** An IPv4 or IPv6 address, the only thing a host group holds for us. */
export function readIp(word: string): ParseResult<string> {
  if (!word) return { ok: false, reason: 'needs an IP address' };
  const o = parseObservable(word);
  if (!o || (o.type !== 'ip' && o.type !== 'ipv6')) {
    return { ok: false, reason: `needs an IP address, and "${clip(word)}" is not one` };
  }
  return { ok: true, args: o.value };
}

export function readObservable(word: string): ParseResult<Observable> {
  if (!word) return { ok: false, reason: 'needs an IP, domain, URL or hash' };
  const o = parseObservable(word);
  return o
    ? { ok: true, args: o }
    : { ok: false, reason: `does not recognize "${clip(word)}" as an IP, domain, URL or hash` };
}

/** Exactly one incident id (the 8 characters shown on the card), lower-cased. */
export function readIncidentId(args: string): ParseResult<string> {
  const [id, rest] = firstAndRest(args);
  return INCIDENT_ID.test(id) && !rest
    ? { ok: true, args: id.toLowerCase() }
    : { ok: false, reason: 'needs the 8-character incident id from the card' };
}

/** A count between 1 and `max`, `fallback` when absent. */
export function readCount(word: string, fallback: number, max: number): ParseResult<number> {
  if (!word) return { ok: true, args: fallback };
  const n = Number(word);
  if (!Number.isInteger(n) || n < 1 || n > max) return { ok: false, reason: `needs a number from 1 to ${max}` };
  return { ok: true, args: n };
}

/** Echoes a piece of user input safely inside a usage message (the one escaping helper). */
export function clip(text: string): string {
  return userText(text, 40);
}

/** `<ip> [host group]`, as `/tag` and `/untag` take them. */
export function readHostAndGroup(args: string): ParseResult<{ ip: string; group: string | undefined }> {
  const [word, group] = firstAndRest(args);
  const ip = readIp(word);
  return ip.ok ? { ok: true, args: { ip: ip.args, group: group || undefined } } : ip;
}
