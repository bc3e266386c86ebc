/**
 * A cookie jar for one SMC. It talks to a single host, so domain and path matching are not needed;
 * what matters is keeping the latest value of each cookie and honouring deletions.
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** Applies `Set-Cookie` header values (from `headers.getSetCookie()`). */
  update(setCookieHeaders: readonly string[], now: number = Date.now()): void {
    for (const header of setCookieHeaders) {
      const [pair = '', ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (isExpired(attributes, now)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** The `Cookie` request header, or `undefined` when the jar is empty. */
  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  get size(): number {
    return this.cookies.size;
  }

  clear(): void {
    this.cookies.clear();
  }
}

function isExpired(attributes: readonly string[], now: number): boolean {
  for (const attribute of attributes) {
    const eq = attribute.indexOf('=');
    const key = (eq < 0 ? attribute : attribute.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? '' : attribute.slice(eq + 1).trim();
    if (key === 'max-age' && value !== '' && Number(value) <= 0) return true;
    if (key === 'expires' && Date.parse(value) <= now) return true;
  }
  return false;
}
