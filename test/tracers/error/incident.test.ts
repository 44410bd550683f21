import { join } from 'node:path';
import { investigate } from '../../../src/investigate';

const INCIDENT = join(__dirname, '..', '..', 'fixtures', 'errors', 'incident');

describe('the error tracer in a standard investigation', () => {
  it('ties the upstream errors that name an attacking address to it (error.related) and publishes recurring ones', async () => {
    const { investigation, tracers } = await investigate({
      inputs: [join(INCIDENT, 'auth.log'), join(INCIDENT, 'nginx-error.log')],
      referenceDate: Date.parse('2024-03-02T00:00:00Z'),
      timezone: 'UTC',
    });
    const bus = investigation.bus;
    expect(bus.get('ip.threat', '203.0.113.50')).toBeDefined();
    const related = bus.get('error.related', '203.0.113.50');
    expect(related?.data.errors).toEqual([
      {
        signature: tracers.error.problems()[0]!.signature,
        template: 'connect() failed (<*> Connection refused) while connecting to upstream',
        category: 'network',
        count: 2,
        why: 'mentions-ip',
      },
    ]);
    expect(bus.findings('error.recurring').map((f) => [f.data.subkind, f.data.count])).toEqual([
      ['connection-refused', 2],
    ]);
    expect(tracers.error.problems().map((p) => [p.category, p.subkind, p.count])).toEqual([
      ['network', 'connection-refused', 2],
      ['permission', 'access-denied', 1],
    ]);
  });
});
