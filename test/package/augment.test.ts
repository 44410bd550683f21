/**
 * A third-party tracer adds its own finding kinds to the package's registry by
 * declaration merging on 'logsleuth' itself, as the README shows; `npm run
 * typecheck` proves the typing, this test that it runs.
 */
import { Investigation, defineTracer } from 'logsleuth';

declare module 'logsleuth' {
  interface FindingKinds {
    'thirdparty.seen': { ip: string; names: string[] };
  }
}

describe('a third-party finding kind', () => {
  it('is published and read back with its own data type', async () => {
    const tracer = defineTracer({
      meta: { name: 'thirdparty', description: 'test', consumes: [], produces: ['thirdparty.seen'] },
      attach(ctx) {
        ctx.report('thirdparty.seen', '192.0.2.1', { ip: '192.0.2.1', names: ['a.example'] });
      },
    });
    const investigation = new Investigation({ tracers: [tracer] });
    await investigation.finish();
    const [finding] = investigation.bus.findings('thirdparty.seen');
    const names: string[] = finding!.data.names;
    expect(names).toEqual(['a.example']);
  });
});
