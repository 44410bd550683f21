import { Investigation } from '../../src/core/investigation';
import { createEvent, type LogEvent } from '../../src/core/event';
import { defineTracer, standaloneContext, UndeclaredKindError } from '../../src/core/tracer';

declare module '../../src/index' {
  interface FindingKinds {
    'count.many': { count: number };
    'count.echoed': { from: string };
  }
}

function counter() {
  const counts = new Map<string, number>();
  let report: ((key: string, count: number) => void) | undefined;
  return defineTracer({
    meta: { name: 'counter', description: 'counts events per ip', consumes: [], produces: ['count.many'] },
    attach(ctx) {
      report = (key, count) => void ctx.report('count.many', key, { count });
    },
    ingest(event: LogEvent) {
      if (!event.ip) return;
      const count = (counts.get(event.ip) ?? 0) + 1;
      counts.set(event.ip, count);
      if (count === 3) report?.(event.ip, count);
    },
  });
}

const echo = defineTracer({
  meta: { name: 'echo', description: 'echoes', consumes: ['count.many'], produces: ['count.echoed'] },
  attach(ctx) {
    ctx.on('count.many', (finding) => void ctx.report('count.echoed', finding.key, { from: finding.tracer }, finding));
  },
});

const event = (ip: string, line: number) => createEvent({ source: 'test.log', line, raw: `from ${ip}`, ip });

describe('Investigation', () => {
  it('feeds events to tracers and lets one tracer react to another on the bus', async () => {
    const investigation = new Investigation({ tracers: [counter(), echo], clock: { now: () => 0 } });
    await investigation.run([
      event('192.0.2.1', 1),
      event('192.0.2.1', 2),
      event('192.0.2.1', 3),
      event('192.0.2.2', 4),
    ]);
    expect(investigation.findings().map((f) => [f.kind, f.key, f.depth])).toEqual([
      ['count.many', '192.0.2.1', 0],
      ['count.echoed', '192.0.2.1', 1],
    ]);
    expect(investigation.stats()).toEqual({ events: 4, findings: 2, duplicates: 0, tooDeep: 0, handlerErrors: 0 });
  });

  it('rejects two tracers with the same name', () => {
    expect(() => new Investigation({ tracers: [echo, echo] })).toThrow("two tracers are named 'echo'");
  });
});

describe('TracerContext', () => {
  it('refuses to report a kind the tracer did not declare', () => {
    const ctx = standaloneContext(echo);
    expect(() => ctx.report('count.many', 'k', { count: 1 })).toThrow(UndeclaredKindError);
  });

  it('refuses to listen to a kind the tracer did not declare', () => {
    const ctx = standaloneContext(echo);
    expect(() => ctx.on('count.echoed', () => undefined)).toThrow("tracer 'echo' listens to 'count.echoed'");
  });
});
