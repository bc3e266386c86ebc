/**
 * How Keyv writes a value: the text of `@keyv/serialize` (Keyv's default), made by the native
 * `JSON.stringify`. That format is JSON in which a string starting with `:` gets one more `:` (so
 * that `:base64:…` can mark a Buffer; Keyv's default reader takes it off again). The default
 * writer builds the text itself, recursively, by string concatenation: writing a burst's state
 * (1,000 incidents, the seen-set of 100,000 events) took it a second and 200 MB of garbage.
 * Records here are zod-validated JSON, never Buffers, so the text is the same (tests compare them).
 */
export function serializeValue(data: unknown): string {
  const text = JSON.stringify(data) ?? 'null';
  // Nearly always there is no string starting with `:`, and then the plain text is the answer. Such
  // a string's opening quote follows `[`, `,`, `{` or `:` (compact JSON; a quote inside a string is
  // escaped, so preceded by a backslash); a key starting with `:` also matches, harmlessly.
  return COLON_STRING.test(text) ? (JSON.stringify(data, escapeColonStrings) ?? 'null') : text;
}

const COLON_STRING = /(?:^|[[{,:])":/;

function escapeColonStrings(_key: string, value: unknown): unknown {
  return typeof value === 'string' && value.startsWith(':') ? `:${value}` : value;
}
