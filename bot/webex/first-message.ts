/**
 * webex-node-bot-framework 2.3.14 drops the first message of a new space. When someone opens a
 * 1:1 with the bot (or adds it to a space and writes at once), Webex sends the bot's membership
 * and the message together. The membership spawns the bot; the message finds no bot yet, tries
 * its own "late discovery" spawn, sees a spawn under way (`roomsSpawningNow`) and gives up: the
 * person's first `/help` is never answered.
 *
 * The repair keeps the framework's own code paths: it remembers each spawn in flight, and when a
 * message was dropped for want of a bot while its space was being spawned, it waits for that
 * spawn and hands the message to the framework once more.
 */
import type { Logger } from '../log.js';

type Spawn = (membership: { roomId?: string } | undefined, actorId?: string) => PromiseLike<unknown>;
type OnMessage = (message: { roomId?: string }) => PromiseLike<unknown>;

interface SpawningFramework {
  spawn: Spawn;
  onMessageCreated: OnMessage;
  findBotObjectInRoom(roomId: string): unknown;
}

function isSpawningFramework(framework: object): framework is SpawningFramework {
  const f = framework as Partial<Record<keyof SpawningFramework, unknown>>;
  return (
    typeof f.spawn === 'function' &&
    typeof f.onMessageCreated === 'function' &&
    typeof f.findBotObjectInRoom === 'function'
  );
}

/** Longest wait for a space's spawn before the message is given up (as the framework would). */
const SPAWN_WAIT_MS = 15_000;

export function answerFirstMessages(framework: object, log: Logger): void {
  if (!isSpawningFramework(framework)) {
    log.warn('the framework has no spawn/onMessageCreated to repair; first messages of new spaces may be dropped');
    return;
  }
  const spawning = new Map<string, Promise<unknown>>();
  const spawn = framework.spawn;
  framework.spawn = function (membership, actorId) {
    const result = spawn.call(this, membership, actorId);
    const roomId = membership?.roomId;
    if (roomId && !spawning.has(roomId)) {
      const done = Promise.resolve(result)
        .catch(() => undefined)
        .finally(() => spawning.delete(roomId));
      spawning.set(roomId, done);
    }
    return result;
  };

  const onMessageCreated = framework.onMessageCreated;
  framework.onMessageCreated = async function (message) {
    const roomId = message.roomId;
    const hadBot = roomId !== undefined && Boolean(framework.findBotObjectInRoom(roomId));
    const result = await onMessageCreated.call(this, message);
    // `false` without a bot before the call: the message was dropped, not handled (a handled
    // message resolves to its trigger).
    if (result !== false || !roomId || hadBot) return result;
    const pending = spawning.get(roomId);
    if (pending && !framework.findBotObjectInRoom(roomId)) {
      await Promise.race([pending, new Promise((resolve) => setTimeout(resolve, SPAWN_WAIT_MS).unref())]);
    }
    if (!framework.findBotObjectInRoom(roomId)) return result;
    log.info({ roomId }, 'handling a message that arrived while the bot joined its space');
    return onMessageCreated.call(this, message);
  };
}
