/** Argument checks of the XDR client: they throw before anything is sent. */

/** @throws TypeError when `value` is not a non-blank string. */
export function checkPresent(value: string, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new TypeError(`XDR ${what} is required`);
  return value;
}

/** @throws TypeError unless `value` is a finite number above zero. */
export function checkPositive(value: number, what: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`XDR ${what} must be a positive number`);
  return value;
}

/** @throws TypeError unless `value` is a finite number, zero or more. */
export function checkNonNegative(value: number, what: string): number {
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`XDR ${what} must be zero or more`);
  return value;
}

/** @throws RangeError unless `value` is an integer in `[min, max]`. */
export function checkRange(value: number, min: number, max: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`CTIA search ${what} must be an integer from ${min} to ${max}`);
  }
  return value;
}
