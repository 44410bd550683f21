/**
 * Injected addresses: a user name, path, URL or free text that holds an IP
 * address (fail2ban's classic injections) must never make that address the
 * source of an event, nor give it any evidence in the IP tracer. Every line
 * below carries the bait 6.6.6.6 in attacker-written text; the real source,
 * when the line has one, is 203.0.113.10.
 */
import { standaloneContext } from '../../src/core/tracer';
import { IpTracer } from '../../src/tracers/ip';
import { parse } from '../logs/helpers';
import { BAIT, INJECTION_CASES, REAL } from './cases/injection';

describe('an address inside attacker-written text is never the source', () => {
  it.each(INJECTION_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { events } = parse(`${c.line}\n`);
    expect(events).toHaveLength(1);
    const event = events[0]!;
    expect({ line: c.line, ip: event.ip, hostile: event.hostile }).toEqual({
      line: c.line,
      ip: c.ip,
      hostile: c.hostile,
    });
  });

  it('gives the bait no profile in the IP tracer, whatever the lines', () => {
    const tracer = new IpTracer();
    tracer.attach(standaloneContext(tracer));
    const { events } = parse(INJECTION_CASES.map((c) => c.line).join('\n') + '\n');
    for (const event of events) tracer.ingest(event);
    tracer.finish();
    expect(tracer.profile(BAIT)).toBeUndefined();
    expect(tracer.profile(REAL)).toBeDefined();
  });
});
