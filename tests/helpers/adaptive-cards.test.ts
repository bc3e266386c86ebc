import { describe, expect, it } from 'vitest';
import { validateCard } from './adaptive-cards.js';

type Json = Record<string, unknown>;

function card(overrides: Json = {}): Json {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.3',
    body: [{ type: 'TextBlock', text: 'High Total Traffic', wrap: true }],
    ...overrides,
  };
}

function submit(title: string, data: unknown = { action: 'ack', v: 1, incidentId: 'inc-1' }): Json {
  return { type: 'Action.Submit', title, data };
}

describe('validateCard', () => {
  it('accepts a minimal 1.3 card with a well-formed submit and a link', () => {
    const valid = card({
      actions: [submit('Acknowledge'), { type: 'Action.OpenUrl', title: 'Open', url: 'https://smc.example/' }],
    });
    expect(validateCard(valid)).toEqual([]);
  });

  it('rejects anything that is not a JSON object', () => {
    expect(validateCard('card')).toEqual(['card must be a JSON object']);
    expect(validateCard([card()])).toEqual(['card must be a JSON object']);
  });

  it('rejects an unknown element type', () => {
    const problems = validateCard(card({ body: [{ type: 'Blink', text: 'x' }] }));
    expect(problems).toContainEqual(expect.stringContaining('Unknown element type "Blink"'));
  });

  it('rejects an unknown action type', () => {
    const problems = validateCard(card({ actions: [{ type: 'Action.Teleport', title: 'Go' }] }));
    expect(problems).toContainEqual(expect.stringContaining('Unknown action type "Action.Teleport"'));
  });

  it('rejects an invalid property value', () => {
    const problems = validateCard(card({ body: [{ type: 'TextBlock', text: 'x', color: 'purple' }] }));
    expect(problems).toContainEqual(expect.stringContaining('Invalid value "purple" for property "color"'));
  });

  it('rejects elements, actions and properties that need a schema newer than 1.3', () => {
    const problems = validateCard(
      card({
        body: [
          { type: 'Table', columns: [], rows: [] },
          { type: 'TextBlock', text: 'x', style: 'heading' },
        ],
        actions: [{ type: 'Action.Execute', title: 'Run' }],
      }),
    );
    expect(problems).toContainEqual(expect.stringContaining('Unknown element type "Table"'));
    expect(problems).toContainEqual(expect.stringContaining('Property "style" is supported in version 1.5'));
    expect(problems).toContainEqual(expect.stringContaining('Unknown action type "Action.Execute"'));
  });

  it('rejects a card that declares a version newer than 1.3, or none', () => {
    expect(validateCard(card({ version: '1.5' }))).toContainEqual(expect.stringContaining('version 1.5 is newer'));
    expect(validateCard(card({ version: undefined }))).toContainEqual(expect.stringContaining('version must be'));
  });

  it('rejects a card with six actions', () => {
    const actions = Array.from({ length: 6 }, (_, index) => submit(`Button ${index}`));
    expect(validateCard(card({ actions }))).toContainEqual('card has 6 actions, Webex allows at most 5');
  });

  it('counts actions inside a ShowCard and in ActionSets towards the limit of five', () => {
    const nested = card({
      body: [{ type: 'ActionSet', actions: [submit('One'), submit('Two')] }],
      actions: [
        submit('Three'),
        { type: 'Action.ShowCard', title: 'More', card: card({ actions: [submit('Five'), submit('Six')] }) },
      ],
    });
    expect(validateCard(nested)).toEqual(['card has 6 actions, Webex allows at most 5']);
  });

  it('rejects a submit without incidentId, without data, or with a string version', () => {
    const problems = validateCard(
      card({
        actions: [
          submit('No incident', { action: 'ack', v: 1 }),
          { type: 'Action.Submit', title: 'No data' },
          submit('String v', { action: 'ack', v: '1', incidentId: 'inc-1' }),
        ],
      }),
    );
    expect(problems).toEqual([
      '$.actions[0]: Action.Submit data.incidentId must be a string',
      '$.actions[1]: Action.Submit needs a data object',
      '$.actions[2]: Action.Submit data.v must be a number',
    ]);
  });

  it('checks submits nested in containers and select actions', () => {
    const problems = validateCard(
      card({ body: [{ type: 'Container', items: [], selectAction: submit('Tap', { action: 'ack' }) }] }),
    );
    expect(problems).toContain('$.body[0].selectAction: Action.Submit data.v must be a number');
  });

  it('rejects a card whose JSON exceeds 20 KB', () => {
    const big = card({ body: [{ type: 'TextBlock', text: 'x'.repeat(25_000), wrap: true }] });
    expect(validateCard(big)).toContainEqual(expect.stringMatching(/^card JSON is \d+ bytes, the budget is 20000$/));
  });
});
