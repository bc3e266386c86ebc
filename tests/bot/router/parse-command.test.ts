import { describe, expect, it } from 'vitest';
import { parseCommand, suggest } from '../../../bot/router/parse-command.js';

const bot = { id: 'BOTID', displayName: 'SNA Bot' };

describe('parseCommand', () => {
  it.each([
    ['/status', 'status', ''],
    ['status', 'status', ''],
    ['  /HELP  ', 'help', ''],
    ['SNA Bot /status', 'status', ''],
    ['SNA Bot status', 'status', ''],
    ['SNA /status', 'status', ''],
    ['sna bot, help', 'help', ''],
    ['/enrich 1.2.3[.]4 extra words', 'enrich', '1.2.3[.]4 extra words'],
  ])('reads %j as /%s', (text, name, args) => {
    expect(parseCommand({ text }, bot)).toEqual({ name, args });
  });

  it('strips the mention exactly as the html carries it', () => {
    const html =
      '<p><spark-mention data-object-type="person" data-object-id="BOTID">Alerts</spark-mention> /status</p>';
    expect(parseCommand({ text: 'Alerts /status', html, mentionedPeople: ['BOTID'] }, bot)).toEqual({
      name: 'status',
      args: '',
    });
  });

  it('returns nothing for a bare mention or an empty message', () => {
    expect(parseCommand({ text: 'SNA Bot' }, bot)).toBeUndefined();
    expect(parseCommand({ text: '   ' }, bot)).toBeUndefined();
    expect(parseCommand({}, bot)).toBeUndefined();
  });

  it('keeps multi-line arguments', () => {
    expect(parseCommand({ text: '/note first line\nsecond' }, bot)).toEqual({
      name: 'note',
      args: 'first line\nsecond',
    });
  });
});

describe('suggest', () => {
  it('offers the closest known command for a typo, and nothing for gibberish', () => {
    expect(suggest('stauts', ['help', 'status'])).toBe('status');
    expect(suggest('hlep', ['help', 'status'])).toBe('help');
    expect(suggest('xyzzy', ['help', 'status'])).toBeUndefined();
  });
});
