/** A tiny element builder: text children become text nodes, so nothing here ever parses HTML. */

type Child = Node | string | number | false | null | undefined;
type Attrs = Record<string, string | boolean | undefined | EventListener>;

/**
 * Creates an element. String attributes are set as attributes, `true` as empty attributes
 * (`false`/`undefined` are skipped), and `on<event>` functions become listeners.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) element.setAttribute(name, '');
    else if (typeof value === 'string') element.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    element.append(typeof child === 'number' ? String(child) : child);
  }
  return element;
}

/** The element with this id; throws when the page lacks it (a broken index.html). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

/** Makes `parent`'s children exactly `wanted`, in order, moving existing nodes instead of rebuilding them. */
export function syncChildren(parent: Element, wanted: readonly Node[]): void {
  wanted.forEach((node, index) => {
    if (parent.childNodes[index] !== node) parent.insertBefore(node, parent.childNodes[index] ?? null);
  });
  while (parent.childNodes.length > wanted.length) parent.lastChild?.remove();
}

/** Up to two initials of a name, for avatars. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return ((words[0]?.[0] ?? '?') + (words.length > 1 ? (words[words.length - 1]?.[0] ?? '') : '')).toUpperCase();
}

/** A stable colour per person, from a small palette of Webex-like avatar hues. */
export function avatarColor(id: string): string {
  const palette = ['#0E7C86', '#6E4BB8', '#B8531C', '#1D6FB8', '#8C6A00', '#A3336B', '#2F7D32'];
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return palette[hash % palette.length] ?? '#1D6FB8';
}
