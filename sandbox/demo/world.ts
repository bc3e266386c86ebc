/**
 * What the web space shows next to the conversation, read from the simulators in-process: the
 * SMC quarantine host group, the panels of optional simulators (placeholders while they are
 * absent), and the SMC host report behind the card's "Open in SMC" button.
 */
import { z } from 'zod';
import { TEMPLATES } from '../smc/catalogue.js';
import type { SmcSimulator } from '../smc/index.js';
import type { HostReport, WorldPanel } from '../web-space/index.js';
import type { DemoExtra } from './extras.js';
import { PANEL_PLACEHOLDERS } from './extras.js';

const snapshotSchema = z.object({
  hostGroups: z.record(
    z.string(),
    z.array(z.object({ id: z.number(), name: z.string(), ranges: z.array(z.string()) })),
  ),
  events: z.array(
    z.object({
      id: z.number(),
      securityEventType: z.number(),
      firstActiveTime: z.string(),
      lastActiveTime: z.string(),
      hitCount: z.number(),
      source: z.object({ ipAddress: z.string(), tags: z.array(z.object({ name: z.string() })) }),
      target: z.object({ ipAddress: z.string(), port: z.number() }).optional(),
      details: z.array(z.object({ key: z.string(), value: z.string() })),
    }),
  ),
});

/** Reads the world for the web space. */
export class DemoWorld {
  constructor(
    private readonly smc: SmcSimulator,
    private readonly tenantId: number,
    /** The bot's quarantine host group (`SNA_TAG_NAME`); the bot creates it on the first Tag. */
    private readonly quarantineGroupName: string,
    private readonly extras: readonly DemoExtra[],
  ) {}

  /** Every panel, in order: optional simulators' (or their placeholders), then the SMC quarantine group. */
  async panels(): Promise<WorldPanel[]> {
    const provided = (
      await Promise.all(this.extras.map((extra) => extra.panels?.().catch((): WorldPanel[] => []) ?? []))
    ).flat();
    const placeholders = PANEL_PLACEHOLDERS.map((p) => provided.find((q) => q.id === p.id) ?? p);
    const others = provided.filter((p) => !PANEL_PLACEHOLDERS.some((q) => q.id === p.id));
    return [...placeholders, ...others, this.quarantinePanel()];
  }

  /** What the SMC simulator holds about a host. */
  hostReport(ip: string): HostReport | undefined {
    const events = this.snapshot().events.filter((e) => e.source.ipAddress === ip);
    if (events.length === 0) return undefined;
    return {
      ip,
      hostGroups: [...new Set(events.flatMap((e) => e.source.tags.map((t) => t.name)))],
      events: events.map((e) => ({
        id: e.id,
        type: TEMPLATES.find((t) => t.id === e.securityEventType)?.name ?? `Event type ${e.securityEventType}`,
        peer: e.target ? `${e.target.ipAddress}${e.target.port > 0 ? `:${e.target.port}` : ''}` : '',
        points: e.details.find((d) => d.key === 'points')?.value ?? '',
        hits: e.hitCount,
        firstActive: e.firstActiveTime,
        lastActive: e.lastActiveTime,
      })),
    };
  }

  private quarantinePanel(): WorldPanel {
    const name = this.quarantineGroupName;
    const group = this.snapshot().hostGroups[String(this.tenantId)]?.find((g) => g.name === name);
    return {
      id: 'smc-quarantine',
      title: 'SMC quarantine host group',
      configured: true,
      subtitle: group ? `“${group.name}” · host group ${group.id}` : `“${name}”: created by the bot on the first Tag`,
      items: group?.ranges ?? [],
      emptyText: 'No host quarantined yet.',
    };
  }

  private snapshot(): z.infer<typeof snapshotSchema> {
    return snapshotSchema.parse(this.smc.state());
  }
}
