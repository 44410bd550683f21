import { MAX_PAGES, PageCache } from '../../src/serve/page-cache';

describe('PageCache', () => {
  it('makes a page once per revision and query, and again when the revision changes', () => {
    const cache = new PageCache();
    let made = 0;
    const make = () => `page ${++made}`;
    const first = {};
    expect(cache.get(first, 'a', make)).toBe('page 1');
    expect(cache.get(first, 'a', make)).toBe('page 1');
    expect(cache.get(first, 'b', make)).toBe('page 2');
    const second = {};
    expect(cache.get(second, 'a', make)).toBe('page 3');
    expect(cache.get(first, 'a', make)).toBe('page 4');
  });

  it(`keeps at most ${MAX_PAGES} queries per revision, and still answers the others`, () => {
    const cache = new PageCache();
    const revision = {};
    let made = 0;
    for (let i = 0; i < MAX_PAGES + 10; i++) cache.get(revision, String(i), () => String(++made));
    expect(cache.get(revision, String(MAX_PAGES + 5), () => 'fresh')).toBe('fresh');
    expect(cache.get(revision, '0', () => 'fresh')).toBe('1');
  });
});
