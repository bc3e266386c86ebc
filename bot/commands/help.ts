import { type Command, defineCommand, noArgs } from '../router/types.js';

const AUDIENCE_TITLES = {
  everyone: 'Anyone in the space',
  operator: 'Operators (BOT_OPERATORS)',
  responder: 'Responders (BOT_RESPONDERS)',
} as const;

/** `/help`: generated from the command registry, grouped by who may run each command. */
export const help = defineCommand({
  name: 'help',
  aliases: ['?'],
  usage: '',
  summary: 'list the commands',
  audience: 'everyone',
  parse: noArgs,
  async run(ctx) {
    await ctx.reply(renderHelp(ctx.services.commands));
  },
});

export function renderHelp(commands: readonly Command[]): string {
  const lines = ['**SNA ChatOps** watches Secure Network Analytics and posts an alert card per incident.', ''];
  for (const [audience, title] of Object.entries(AUDIENCE_TITLES)) {
    const group = commands.filter((c) => c.audience === audience);
    if (group.length === 0) continue;
    lines.push(`**${title}**`);
    for (const c of group) lines.push(`- \`/${c.name}${c.usage ? ` ${c.usage}` : ''}\` — ${c.summary}`);
  }
  lines.push(
    '',
    'In a group space, mention me first: `@SNA Bot /status`. Tap **Acknowledge** on a card to take an incident.',
  );
  return lines.join('\n');
}
