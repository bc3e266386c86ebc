/**
 * "World the bot changes": one panel per system the bot acts on (the XDR block feed, the SMC
 * quarantine host group, …), read through the web space's JSON endpoint so the page never holds
 * a credential. Lines that appeared since the last read are highlighted for a moment.
 */
import type { WorldPanel, WorldView } from '../types.js';
import { h, syncChildren } from './dom.js';

/** Renders the panels of `/api/world` and keeps them current. */
export class WorldPanels {
  private readonly seen = new Map<string, Set<string>>();

  constructor(private readonly container: HTMLElement) {}

  /** Shows a fresh view. */
  show(view: WorldView): void {
    syncChildren(
      this.container,
      view.panels.map((panel) => this.section(panel)),
    );
  }

  /** Marks every panel as unreadable (the launcher did not answer). */
  showError(message: string): void {
    syncChildren(this.container, [h('p', { class: 'panel-error' }, message)]);
  }

  private section(panel: WorldPanel): HTMLElement {
    const before = this.seen.get(panel.id);
    this.seen.set(panel.id, new Set(panel.items));
    const items = panel.items.map((item) =>
      h('li', { class: before && !before.has(item) ? 'fresh' : undefined }, h('code', {}, item)),
    );
    const body = !panel.configured
      ? h('p', { class: 'panel-empty' }, 'Not configured: this simulator is not running in the demo.')
      : items.length > 0
        ? h('ul', { class: 'panel-items' }, ...items)
        : h('p', { class: 'panel-empty' }, panel.emptyText ?? 'Nothing yet.');
    return h(
      'section',
      { class: `panel${panel.configured ? '' : ' off'}`, 'data-panel-id': panel.id },
      h(
        'h3',
        {},
        panel.title,
        h(
          'span',
          { class: `chip${panel.configured ? '' : ' off'}` },
          panel.configured ? `${panel.items.length}` : 'not configured',
        ),
      ),
      panel.subtitle !== undefined && h('p', { class: 'panel-sub' }, panel.subtitle),
      body,
    );
  }
}
