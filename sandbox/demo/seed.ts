/**
 * The Webex side of the demo: the cast as simulated people, the alert space with everyone and
 * the bot in it (added by the operator, as a real team would), and a 1:1 space with the bot for
 * each person.
 */
import type { WebexRoom, WebexSimulator } from '../webex/index.js';
import type { SpacePerson } from '../web-space/index.js';
import type { CastMember } from './cast.js';

/** Title of the space that receives alert cards. */
export const ALERT_ROOM_TITLE = 'SOC Alerts';

/** What {@link seedWebex} created. */
export interface SeededWebex {
  people: SpacePerson[];
  alertRoom: WebexRoom;
}

/** Creates people and rooms; resolves once the bot has been told about every room. */
export async function seedWebex(webex: WebexSimulator, cast: readonly CastMember[]): Promise<SeededWebex> {
  const people = cast.map((member) => {
    const person = webex.addPerson({ displayName: member.displayName, email: member.email });
    return { member, person };
  });
  const creator = people.find((p) => p.member.role === 'operator') ?? people[0];
  if (!creator) throw new Error('the demo needs at least one person');
  const alertRoom = await webex.createRoom({
    title: ALERT_ROOM_TITLE,
    type: 'group',
    memberIds: [creator.person.id, ...people.filter((p) => p !== creator).map((p) => p.person.id)],
  });
  await webex.addBotToRoom(alertRoom.id, creator.person.id);

  const seeded: SpacePerson[] = [];
  for (const { member, person } of people) {
    const direct = await webex.createRoom({
      title: member.displayName,
      type: 'direct',
      memberIds: [person.id, webex.bot.id],
    });
    seeded.push({
      id: person.id,
      displayName: member.displayName,
      email: member.email,
      role: member.role,
      token: person.token,
      directRoomId: direct.id,
    });
  }
  return { people: seeded, alertRoom };
}
