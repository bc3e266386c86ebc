/**
 * jose, loaded the first time the relay verifies a token or reads XDR's signing keys: a bot
 * without the relay (most) never loads it.
 */
import type * as Jose from 'jose';

let loading: Promise<typeof Jose> | undefined;

export function loadJose(): Promise<typeof Jose> {
  loading ??= import('jose');
  return loading;
}
