/** The command registry: one file per command, listed here once. `/help` is generated from it. */
import type { Command } from '../router/types.js';
import { help } from './help.js';
import { status } from './status.js';

export const commands: readonly Command[] = Object.freeze([help, status]);
