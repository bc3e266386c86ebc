import { type Audience, type Command, defineCommand, noArgs } from '../router/types.js';

/** `/help`: generated from the command registry, grouped by who may run each command. */
export const help = defineCommand({
  name: 'help',
  aliases: ['?'],
  usage: '',
  summary: 'list the commands',
  audience: 'everyone',
  parse: noArgs,
  async run(ctx) {
    const { roles } = ctx.services;
    const allowed = await roles.allows(ctx.actor, 'operator');
    await ctx.reply(
      renderHelp(ctx.services.commands, {
        everyone: 'Anyone',
        operator: capitalize(roles.describe('operator')),
        responder: capitalize(roles.describe('responder')),
      }) + (allowed ? '' : "\n\nYou are not one of this bot's operators, so I can only show this help and my status."),
    );
  },
});

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function renderHelp(commands: readonly Command[], titles: Record<Audience, string>): string {
  const lines = ['**SNA ChatOps** watches Secure Network Analytics and posts an alert card per incident.', ''];
  for (const [audience, title] of Object.entries(titles)) {
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
