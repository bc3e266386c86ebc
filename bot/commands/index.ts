/** The command registry: one file per command, listed here once. `/help` is generated from it. */
import type { Command } from '../router/types.js';
import { ack } from './ack.js';
import { approve } from './approve.js';
import { assign } from './assign.js';
import { audit } from './audit.js';
import { block } from './block.js';
import { enrich } from './enrich.js';
import { escalate } from './escalate.js';
import { flows } from './flows.js';
import { help } from './help.js';
import { history } from './history.js';
import { incident } from './incident.js';
import { incidents } from './incidents.js';
import { resolve } from './resolve.js';
import { snooze } from './snooze.js';
import { status } from './status.js';
import { tag } from './tag.js';
import { unblock } from './unblock.js';
import { untag } from './untag.js';

export const commands: readonly Command[] = Object.freeze([
  help,
  status,
  enrich,
  incidents,
  incident,
  ack,
  assign,
  resolve,
  snooze,
  escalate,
  flows,
  block,
  unblock,
  approve,
  tag,
  untag,
  audit,
  history,
]);
