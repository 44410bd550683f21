/**
 * The traffic tracer: what a capture showed each address doing at the
 * application layer (DNS lookups, TLS server names, HTTP requests). It reads
 * no logs; given a capture's names, it attaches a suspect's own to its case.
 */
import type { Finding } from '../../core/finding';
import type { TrafficNamesData } from '../../core/kinds';
import type { Tracer, TracerContext, TracerMeta } from '../../core/tracer';

export class TrafficTracer implements Tracer {
  readonly meta: TracerMeta = {
    name: 'traffic',
    description: "A suspect's DNS lookups, TLS server names and HTTP requests in a packet capture.",
    consumes: ['ip.threat', 'ip.blacklisted'],
    produces: ['traffic.names'],
  };

  private readonly byAddress: Map<string, TrafficNamesData>;

  /** `names`: the capture's names per address (a pcap report's `applications.addresses`). */
  constructor(names: Iterable<TrafficNamesData>) {
    this.byAddress = new Map([...names].map((entry) => [entry.address, entry]));
  }

  attach(ctx: TracerContext): void {
    const handler = (finding: Finding<'ip.threat'> | Finding<'ip.blacklisted'>): void => {
      const names = this.byAddress.get(finding.data.ip);
      // The bus keeps one finding per (kind, key): a blacklisting after the threat adds nothing.
      if (names) ctx.report('traffic.names', finding.data.ip, names, finding);
    };
    ctx.on('ip.threat', handler);
    ctx.on('ip.blacklisted', handler);
  }
}
