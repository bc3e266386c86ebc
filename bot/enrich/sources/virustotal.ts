/** VirusTotal: engine detections (optional; the public API allows 4 requests a minute). */
import type { VirusTotalClient } from '../../../integrations/virustotal/client.js';
import type { VtObservableType } from '../../../integrations/virustotal/types.js';
import type { Disposition } from '../../../cards/types.js';
import type { Observable } from '../../observables/parse.js';
import type { EnrichmentSource, SourceAnswer } from '../types.js';

const TYPES: readonly string[] = ['ip', 'ipv6', 'domain', 'url', 'sha256', 'sha1', 'md5'];

export function virusTotalSource(vt: VirusTotalClient): EnrichmentSource {
  return {
    name: 'VirusTotal',
    cost: 1,
    supports: (o) => TYPES.includes(o.type),
    async lookup(observable: Observable, signal: AbortSignal): Promise<SourceAnswer> {
      const result = await vt.lookup(
        { type: observable.type as VtObservableType, value: observable.value },
        { signal },
      );
      if (!result.found)
        return { status: 'ok', verdict: 'unknown', facts: [{ title: 'Known', value: 'not in VirusTotal' }] };
      const { malicious, suspicious, harmless, undetected } = result.stats;
      const engines = malicious + suspicious + harmless + undetected;
      const verdict: Disposition =
        malicious >= 3 ? 'malicious' : malicious + suspicious > 0 ? 'suspicious' : harmless > 0 ? 'clean' : 'unknown';
      return {
        status: 'ok',
        verdict,
        facts: [
          { title: 'Detections', value: `${malicious} malicious, ${suspicious} suspicious of ${engines}` },
          ...(result.reputation !== undefined ? [{ title: 'Reputation', value: String(result.reputation) }] : []),
        ],
        pivots: [{ title: 'VirusTotal report', url: result.link }],
      };
    },
  };
}
