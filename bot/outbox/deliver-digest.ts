/**
 * Delivers digest entries: the digest card (once per digest), then, when someone asks for it, the
 * pages of its list threaded under the card. Each posted message is recorded with the incidents it
 * names, so a button on it acts only on those.
 */
import { digestCard, digestListPages } from '../../cards/digest.js';
import type { DigestCardInput, DigestMessage } from '../../cards/types.js';
import type { DigestRecord } from '../incidents/digests.js';
import type { IncidentStore } from '../incidents/store.js';
import type { Logger } from '../log.js';
import type { AlertSink } from '../webex/alert-sink.js';
import type { DigestEntry, DigestPageEntry, LegacyDigestInput } from './outbox.js';

export interface DigestDeliveryOptions {
  incidents: IncidentStore;
  sink: AlertSink;
  log: Logger;
  onPosted?: ((kind: 'digest' | 'digest-page') => void) | undefined;
}

export function createDigestDelivery(
  opts: DigestDeliveryOptions,
): (entry: DigestEntry | DigestPageEntry) => Promise<void> {
  const { digests } = opts.incidents;
  // A list's pages are delivered one after another: they are planned once, not once per page.
  let planned: { id: string; pages: DigestMessage[] } | undefined;
  const pagesOf = (record: DigestRecord) => {
    if (planned?.id !== record.id) planned = { id: record.id, pages: digestListPages(record.input) };
    return planned.pages;
  };
  return async (entry) => {
    const digestId = entry.kind === 'digest' ? await digestIdOf(entry, opts.incidents) : entry.digestId;
    const record = digestId === undefined ? undefined : await digests.get(digestId);
    if (!record) {
      opts.log.warn({ digestId, kind: entry.kind }, 'outbox entry for a digest that no longer exists; dropped');
      return;
    }
    if (entry.kind === 'digest') {
      // Posted already: this is a replay of an entry whose removal did not happen.
      if (record.messageId !== undefined) return;
      const message = digestCard(record.input);
      const posted = await opts.sink.post(message);
      await digests.recordMessage(record.id, 'card', posted.messageId, message.incidentIds);
      opts.onPosted?.('digest');
      opts.log.info(
        {
          messageId: posted.messageId,
          digestId: record.id,
          incidents: record.input.incidents.length,
          named: message.incidentIds.length,
        },
        'digest card posted',
      );
      return;
    }
    const page = pagesOf(record)[entry.page];
    if (!page || record.messageId === undefined || record.pages[String(entry.page)] !== undefined) return;
    const posted = await opts.sink.reply(record.messageId, page);
    await digests.recordMessage(record.id, entry.page, posted.messageId, page.incidentIds);
    opts.onPosted?.('digest-page');
    opts.log.info(
      { messageId: posted.messageId, digestId: record.id, page: entry.page, named: page.incidentIds.length },
      'digest list page posted',
    );
  };
}

/** The digest an entry posts; an entry queued by an older version (its input inline) becomes a record first. */
async function digestIdOf(entry: DigestEntry, incidents: IncidentStore): Promise<string | undefined> {
  if (entry.digestId !== undefined) return entry.digestId;
  if (!entry.digest) return undefined;
  const id = `legacy-${entry.seq}`;
  await incidents.digests.create(id, fromLegacy(entry.digest));
  return id;
}

function fromLegacy(legacy: LegacyDigestInput): DigestCardInput {
  return {
    incidents: legacy.incidents.map((i) => ({ ...i })),
    window: legacy.window,
    generatedAt: legacy.generatedAt,
  };
}
