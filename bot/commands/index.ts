/** The command registry: one file per command, listed here once. `/help` is generated from it. */
import type { Command } from '../router/types.js';
import { audit } from './audit.js';
import { help } from './help.js';
import { history } from './history.js';
import { status } from './status.js';
import { tag } from './tag.js';
import { untag } from './untag.js';

export const commands: readonly Command[] = Object.freeze([help, status, tag, untag, audit, history]);
