import { ReverseDns } from '../../../src/tracers/network/reverse-dns';

const notFound = (ip: string) => Object.assign(new Error(`queryPtr ENOTFOUND ${ip}`), { code: 'ENOTFOUND' });

describe('ReverseDns', () => {
  it('answers from the resolver, sorted and de-duplicated, then from its cache', async () => {
    let calls = 0;
    const dns = new ReverseDns({ reverse: async () => (calls++, ['b.example', 'a.example', 'b.example']) });
    expect(await dns.reverse('192.0.2.1')).toEqual(['a.example', 'b.example']);
    expect(await dns.reverse('192.0.2.1')).toEqual(['a.example', 'b.example']);
    expect(calls).toBe(1);
    expect(dns.stats()).toMatchObject({ lookups: 1, cacheHits: 1, cached: 1 });
  });

  it('shares one lookup between concurrent callers for the same address', async () => {
    let calls = 0;
    const dns = new ReverseDns({ reverse: async () => (calls++, ['x.example']) });
    const answers = await Promise.all([dns.reverse('192.0.2.1'), dns.reverse('192.0.2.1'), dns.reverse('192.0.2.1')]);
    expect(answers).toEqual([['x.example'], ['x.example'], ['x.example']]);
    expect(calls).toBe(1);
  });

  it('answers [] when the resolver does not answer in time, and does not cache it', async () => {
    const dns = new ReverseDns({ reverse: () => new Promise<string[]>(() => {}) }, { timeoutMs: 20 });
    expect(await dns.reverse('192.0.2.1')).toEqual([]);
    expect(dns.stats()).toMatchObject({ lookups: 1, timeouts: 1, cached: 0 });
  });

  it('caches "no name" answers and does not cache transient failures', async () => {
    const dns = new ReverseDns({
      reverse: async (ip) => {
        throw ip === '192.0.2.1' ? notFound(ip) : Object.assign(new Error('timeout'), { code: 'ETIMEOUT' });
      },
    });
    expect(await dns.reverse('192.0.2.1')).toEqual([]);
    expect(await dns.reverse('192.0.2.2')).toEqual([]);
    expect(dns.stats()).toMatchObject({ lookups: 2, failures: 1, cached: 1 });
  });

  it('keeps at most `concurrency` lookups in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const dns = new ReverseDns(
      {
        reverse: async (ip) => {
          most = Math.max(most, ++inFlight);
          await new Promise((resolve) => setImmediate(resolve));
          inFlight--;
          return [`${ip}.example`];
        },
      },
      { concurrency: 3 },
    );
    const ips = Array.from({ length: 20 }, (_, i) => `192.0.2.${i}`);
    const answers = await Promise.all(ips.map((ip) => dns.reverse(ip)));
    expect(answers).toEqual(ips.map((ip) => [`${ip}.example`]));
    expect(most).toBe(3);
  });

  it('bounds its cache, forgetting the least recently used address', async () => {
    const dns = new ReverseDns({ reverse: async (ip) => [`${ip}.example`] }, { cacheSize: 2 });
    for (const ip of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) await dns.reverse(ip);
    expect(dns.stats()).toMatchObject({ cached: 2, evicted: 1 });
  });
});
