/**
 * Checks card JSON the way Webex will see it: the real Adaptive Cards library (schema 1.3) plus the
 * Webex rules the library does not know about.
 */
import { createRequire } from 'node:module';
import type * as AdaptiveCards from 'adaptivecards';
import { utf8ByteLength } from '../../cards/format.js';
import { MAX_CARD_ACTIONS, MAX_CARD_JSON_BYTES } from '../../cards/types.js';

/**
 * `import 'adaptivecards'` resolves to the ES build in lib/, whose extension-less imports Node's ESM
 * loader rejects; the UMD bundle in dist/ is self-contained and loads through `require`.
 */
const lib = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCards;

/** Highest Adaptive Card schema version Webex renders. */
const WEBEX_MAX_VERSION = { major: 1, minor: 3 } as const;

type Json = Record<string, unknown>;

/**
 * Lists every problem with `card` (empty = valid): parse and validation events reported by the
 * `adaptivecards` library targeting schema 1.3 (unknown element or action types, invalid property
 * values, properties newer than 1.3, missing required properties, too many top-level actions), plus
 * Webex rules: version at most 1.3, at most five actions in the whole card (nested `Action.ShowCard`
 * cards and `ActionSet`s included), every `Action.Submit` carrying `{ action: string, v: number,
 * incidentId: string }`, and the card JSON under 20 KB.
 */
export function validateCard(card: unknown): string[] {
  if (!isObject(card)) return ['card must be a JSON object'];
  return [...libraryProblems(card), ...versionProblems(card), ...webexProblems(card)];
}

function libraryProblems(card: Json): string[] {
  const context = new lib.SerializationContext(lib.Versions.v1_3);
  const parsed = new lib.AdaptiveCard();
  try {
    parsed.parse(structuredClone(card), context);
  } catch (error) {
    return [`adaptivecards could not parse the card: ${error instanceof Error ? error.message : String(error)}`];
  }
  const events: AdaptiveCards.IValidationEvent[] = [];
  for (let index = 0; index < context.eventCount; index += 1) events.push(context.getEventAt(index));
  events.push(...parsed.validateProperties().validationEvents);
  return events.map((event) => `adaptivecards ${lib.ValidationEvent[event.event]}: ${event.message}`);
}

function versionProblems(card: Json): string[] {
  const match = typeof card.version === 'string' ? /^(\d+)\.(\d+)$/.exec(card.version) : null;
  if (match === null) return [`version must be a string like "1.3", got ${JSON.stringify(card.version)}`];
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const tooNew =
    major > WEBEX_MAX_VERSION.major || (major === WEBEX_MAX_VERSION.major && minor > WEBEX_MAX_VERSION.minor);
  return tooNew ? [`version ${card.version} is newer than 1.3, the highest Webex renders`] : [];
}

function webexProblems(card: Json): string[] {
  const problems: string[] = [];
  let actionCount = 0;
  walk(card, '$', false, (node, path, inActions) => {
    if (inActions && typeof node.type === 'string' && node.type.startsWith('Action.')) actionCount += 1;
    if (node.type === 'Action.Submit') problems.push(...submitDataProblems(node.data, path));
  });
  if (actionCount > MAX_CARD_ACTIONS) {
    problems.push(`card has ${actionCount} actions, Webex allows at most ${MAX_CARD_ACTIONS}`);
  }
  const bytes = utf8ByteLength(JSON.stringify(card));
  if (bytes > MAX_CARD_JSON_BYTES) problems.push(`card JSON is ${bytes} bytes, the budget is ${MAX_CARD_JSON_BYTES}`);
  return problems;
}

function submitDataProblems(data: unknown, path: string): string[] {
  if (!isObject(data)) return [`${path}: Action.Submit needs a data object`];
  const expected = { action: 'string', v: 'number', incidentId: 'string' } as const;
  return Object.entries(expected)
    .filter(([key, type]) => typeof data[key] !== type)
    .map(([key, type]) => `${path}: Action.Submit data.${key} must be a ${type}`);
}

/** Visits every object in the JSON tree, telling whether it is an item of an `actions` array. */
function walk(
  value: unknown,
  path: string,
  inActions: boolean,
  visit: (node: Json, path: string, inActions: boolean) => void,
): void {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) walk(item, `${path}[${index}]`, inActions, visit);
    return;
  }
  if (!isObject(value)) return;
  visit(value, path, inActions);
  for (const [key, child] of Object.entries(value)) walk(child, `${path}.${key}`, key === 'actions', visit);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
