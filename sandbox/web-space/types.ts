/**
 * JSON shapes the web space's server hands its page. Shared by the server (Node) and the page
 * (browser): type-only, so the page's compiled scripts never import this file at run time.
 */

/** What a person does in the SOC; decides nothing in the web space itself, only labels. */
export type DemoRole = 'responder' | 'operator' | 'outsider';

/** A simulated person the page may act as, with the API token it uses. */
export interface SpacePerson {
  id: string;
  displayName: string;
  email: string;
  role: DemoRole;
  /** Simulated Webex token of this person (the simulator's, never a real credential). */
  token: string;
  /** This person's 1:1 space with the bot, when there is one. */
  directRoomId?: string;
}

/** The bot as the page shows it. */
export interface SpaceBot {
  id: string;
  displayName: string;
  email: string;
}

/** Everything the page needs to start: `GET /api/space`. */
export interface SpaceInfo {
  /** Shown in the header, e.g. "SNA ChatOps demo". */
  title: string;
  bot: SpaceBot;
  /** The group space that receives alert cards. */
  alertRoom: { id: string; title: string };
  people: SpacePerson[];
  /** Who the page acts as when it opens (a person id). */
  defaultPersonId: string;
}

/** One side panel of "World the bot changes": `GET /api/world` lists them in order. */
export interface WorldPanel {
  id: string;
  title: string;
  /** False when the simulator behind the panel is not running: the page shows "not configured". */
  configured: boolean;
  /** One line under the title, e.g. the host group's name and id or the feed's URL. */
  subtitle?: string;
  /** The lines of the panel (blocked IPs, CIDR ranges, …), in the order the source lists them. */
  items: string[];
  /** Shown when `items` is empty. */
  emptyText?: string;
}

/** `GET /api/world`. */
export interface WorldView {
  panels: WorldPanel[];
  /** ISO-8601 time the view was read. */
  at: string;
}
