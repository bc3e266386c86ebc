/**
 * The local web space: a Webex-like client over the Webex simulator. It shows the alert space
 * and the current person's 1:1 space with the bot, acts as the person chosen in the header
 * (their simulated token, the real Webex REST calls), follows changes live, and shows what the
 * bot changed in the world next to the conversation.
 *
 * URL parameters: `as=<email or role>` picks the person, `view=phone` starts in the phone-width view.
 */
import type { WebexMessage } from '../../webex/index.js';
import type { SpaceInfo, SpacePerson } from '../types.js';
import { fetchMessages, fetchSpace, fetchWorld, postMessage, submitCard } from './api.js';
import { Composer } from './composer.js';
import { byId, h } from './dom.js';
import { watchChanges } from './live.js';
import { type SpaceEntry, SpaceList } from './spaces.js';
import { Timeline } from './timeline.js';
import { WorldPanels } from './world.js';

const WORLD_REFRESH_MS = 3000;

class WebSpaceApp {
  private me: SpacePerson;
  private current: SpaceEntry;
  private readonly names = new Map<string, string>();
  private readonly messages = new Map<string, WebexMessage[]>();
  private readonly seenCounts = new Map<string, number>();
  private readonly timeline: Timeline;
  private readonly composer: Composer;
  private readonly spaceList: SpaceList;
  private readonly world = new WorldPanels(byId('world-panels'));
  private readonly scroller = byId('timeline-scroll');
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;

  constructor(private readonly info: SpaceInfo) {
    this.me = pickPerson(info);
    this.current = this.alertSpace();
    this.names.set(info.bot.id, info.bot.displayName);
    for (const person of info.people) this.names.set(person.id, person.displayName);
    this.timeline = new Timeline(byId<HTMLOListElement>('timeline'), {
      nameOf: (id, email) => this.names.get(id) ?? email,
      isBot: (id) => id === info.bot.id,
      mentionName: (kind, value) =>
        kind === 'personId' ? this.names.get(value) : info.people.find((p) => p.email === value)?.displayName,
      submit: async (message, inputs) => {
        await submitCard(this.me.token, message.id, inputs);
        return `Sent as ${this.me.displayName}. Waiting for ${info.bot.displayName}…`;
      },
      reply: (root) =>
        this.composer.replyTo({ id: root.id, label: `${this.names.get(root.personId) ?? root.personEmail}` }),
    });
    this.composer = new Composer({ send: (text, options) => this.send(text, options) });
    this.spaceList = new SpaceList(byId('spaces'), {
      open: (space) => this.open(space),
      toggleWorld: () => byId('app').classList.toggle('show-world'),
      preview: (message) => `${this.names.get(message.personId) ?? message.personEmail}: ${previewOf(message)}`,
    });
  }

  start(): void {
    byId('app-title').textContent = this.info.title;
    document.title = this.info.title;
    this.setUpIdentity();
    this.setUpPhoneToggle();
    this.open(this.current);
    watchChanges(
      () => this.refresh(),
      (mode) => {
        const live = byId('live');
        live.textContent = mode === 'live' ? 'Live' : 'Reconnecting…';
        live.classList.toggle('off', mode !== 'live');
      },
    );
    void this.refreshWorld();
    setInterval(() => void this.refreshWorld(), WORLD_REFRESH_MS);
  }

  private alertSpace(): SpaceEntry {
    return { id: this.info.alertRoom.id, title: this.info.alertRoom.title, isGroup: true };
  }

  private spaces(): SpaceEntry[] {
    const direct = this.me.directRoomId;
    return [this.alertSpace(), ...(direct ? [{ id: direct, title: this.info.bot.displayName, isGroup: false }] : [])];
  }

  private open(space: SpaceEntry): void {
    const changed = space.id !== this.current.id;
    this.current = space;
    byId('app').classList.remove('show-world');
    byId('room-title').textContent = space.title;
    byId('room-sub').textContent = space.isGroup
      ? `Group space · ${this.info.people.length + 1} members · messages to the bot need an @mention`
      : `1:1 with ${this.info.bot.displayName} · no mention needed`;
    this.composer.setSpace({ title: space.title, isGroup: space.isGroup, botName: this.info.bot.displayName });
    if (changed) this.timeline.clear();
    this.render(true);
    this.refresh();
  }

  /** Re-reads the messages of every listed space; calls made while one runs are folded into one more. */
  private refresh(): void {
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = (async () => {
      try {
        const spaces = this.spaces();
        const lists = await Promise.all(spaces.map((space) => fetchMessages(space.id)));
        spaces.forEach((space, index) => this.messages.set(space.id, lists[index] ?? []));
        byId('load-error').hidden = true;
        this.render(false);
      } catch (error) {
        const banner = byId('load-error');
        banner.hidden = false;
        banner.textContent = `Could not read the space: ${error instanceof Error ? error.message : String(error)}`;
      }
    })().finally(() => {
      this.refreshing = undefined;
      if (this.refreshAgain) {
        this.refreshAgain = false;
        this.refresh();
      }
    });
  }

  private render(jumpToEnd: boolean): void {
    const messages = this.messages.get(this.current.id) ?? [];
    const nearEnd = this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < 120;
    const added = this.timeline.show(messages);
    if (jumpToEnd || (added > 0 && nearEnd)) this.scroller.scrollTop = this.scroller.scrollHeight;
    byId('empty-space').hidden = messages.length > 0;
    this.seenCounts.set(this.current.id, messages.length);
    const latest = new Map<string, WebexMessage | undefined>();
    const unread = new Map<string, number>();
    for (const space of this.spaces()) {
      const list = this.messages.get(space.id) ?? [];
      latest.set(space.id, list[list.length - 1]);
      if (!this.seenCounts.has(space.id) && list.length > 0) this.seenCounts.set(space.id, list.length);
      unread.set(space.id, Math.max(0, list.length - (this.seenCounts.get(space.id) ?? 0)));
    }
    this.spaceList.show(this.spaces(), this.current.id, latest, unread);
  }

  private async send(text: string, options: { mentionBot: boolean; parentId: string | undefined }): Promise<void> {
    const { bot } = this.info;
    const markdown = options.mentionBot ? `<@personId:${bot.id}|${bot.displayName}> ${text}` : text;
    await postMessage(this.me.token, { roomId: this.current.id, markdown, parentId: options.parentId });
    this.refresh();
  }

  private async refreshWorld(): Promise<void> {
    try {
      this.world.show(await fetchWorld());
    } catch (error) {
      this.world.showError(`Could not read the world: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private setUpIdentity(): void {
    const select = byId<HTMLSelectElement>('identity');
    select.replaceChildren(
      ...this.info.people.map((person) => h('option', { value: person.id }, `${person.displayName} · ${person.role}`)),
    );
    select.value = this.me.id;
    this.showIdentity();
    select.addEventListener('change', () => {
      const person = this.info.people.find((p) => p.id === select.value);
      if (!person) return;
      this.me = person;
      this.showIdentity();
      setQuery('as', person.email);
      this.open(this.current.isGroup ? this.current : (this.spaces()[1] ?? this.alertSpace()));
    });
  }

  private showIdentity(): void {
    byId('identity-email').textContent = this.me.email;
    byId('about-me').textContent = `${this.me.displayName} (${this.me.role})`;
  }

  private setUpPhoneToggle(): void {
    const toggle = byId<HTMLButtonElement>('phone-toggle');
    const stage = byId('stage');
    const apply = (on: boolean): void => {
      stage.classList.toggle('phone', on);
      toggle.setAttribute('aria-pressed', String(on));
      toggle.title = on ? 'Back to the full-width view' : 'Phone-width view';
      setQuery('view', on ? 'phone' : undefined);
    };
    apply(new URLSearchParams(location.search).get('view') === 'phone');
    toggle.addEventListener('click', () => apply(!stage.classList.contains('phone')));
  }
}

/** The person named by `?as=` (email or role), else the space's default. */
function pickPerson(info: SpaceInfo): SpacePerson {
  const wanted = new URLSearchParams(location.search).get('as')?.toLowerCase();
  const person =
    info.people.find((p) => wanted !== undefined && (p.email.toLowerCase() === wanted || p.role === wanted)) ??
    info.people.find((p) => p.id === info.defaultPersonId) ??
    info.people[0];
  if (!person) throw new Error('the demo has no people to act as');
  return person;
}

function previewOf(message: WebexMessage): string {
  if (message.attachments?.length) return 'sent a card';
  const text = message.text.replace(/\s+/g, ' ').trim();
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function setQuery(name: string, value: string | undefined): void {
  const url = new URL(location.href);
  if (value === undefined) url.searchParams.delete(name);
  else url.searchParams.set(name, value);
  history.replaceState(null, '', url);
}

fetchSpace().then(
  (info) => new WebSpaceApp(info).start(),
  (error: unknown) => {
    const banner = byId('load-error');
    banner.hidden = false;
    banner.textContent = `The demo is not answering: ${error instanceof Error ? error.message : String(error)}`;
  },
);
