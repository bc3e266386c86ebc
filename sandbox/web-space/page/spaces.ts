/**
 * The space list: the alert space and the current person's 1:1 space with the bot, each with
 * the latest message and an unread count. On narrow screens it becomes a tab strip, with an
 * extra "World" tab for the side panels.
 */
import type { WebexMessage } from '../../webex/index.js';
import { avatarColor, h, initials, syncChildren } from './dom.js';

/** A space the page can show. */
export interface SpaceEntry {
  id: string;
  title: string;
  isGroup: boolean;
}

/** Renders the list into `nav#spaces`. */
export class SpaceList {
  constructor(
    private readonly nav: HTMLElement,
    private readonly hooks: {
      open(space: SpaceEntry): void;
      toggleWorld(): void;
      preview(message: WebexMessage): string;
    },
  ) {}

  /** Shows the spaces; `current` is highlighted, `unread` maps room id → unread messages. */
  show(
    spaces: readonly SpaceEntry[],
    current: string,
    latest: ReadonlyMap<string, WebexMessage | undefined>,
    unread: ReadonlyMap<string, number>,
  ): void {
    const items = spaces.map((space) => {
      const last = latest.get(space.id);
      const count = unread.get(space.id) ?? 0;
      return h(
        'button',
        {
          type: 'button',
          class: 'space',
          'data-room-id': space.id,
          'aria-current': space.id === current ? 'page' : undefined,
          onclick: () => this.hooks.open(space),
        },
        h(
          'span',
          { class: `space-avatar${space.isGroup ? ' group' : ''}`, style: `background:${avatarColor(space.id)}` },
          initials(space.title),
        ),
        h(
          'span',
          { class: 'space-text' },
          h('span', { class: 'space-title' }, space.title),
          h(
            'span',
            { class: 'space-preview' },
            last ? this.hooks.preview(last) : space.isGroup ? 'Group space' : '1:1',
          ),
        ),
        count > 0 && h('span', { class: 'unread', title: `${count} unread` }, String(count)),
      );
    });
    const worldTab = h(
      'button',
      { type: 'button', class: 'space world-tab', onclick: () => this.hooks.toggleWorld() },
      h('span', { class: 'space-text' }, h('span', { class: 'space-title' }, 'World')),
    );
    syncChildren(this.nav, [...items, worldTab]);
  }
}
