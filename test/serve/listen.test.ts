import { bearerToken, isLoopback, parseListen, tokenMatches } from '../../src/serve/listen';

describe('parseListen', () => {
  it.each([
    ['127.0.0.1:8377', { host: '127.0.0.1', port: 8377 }],
    ['[::1]:9000', { host: '::1', port: 9000 }],
    ['0.0.0.0:0', { host: '0.0.0.0', port: 0 }],
    ['8080', { host: '127.0.0.1', port: 8080 }],
    ['localhost:1', { host: 'localhost', port: 1 }],
  ])('reads %s', (text, expected) => expect(parseListen(text)).toEqual(expected));

  it.each(['example.com:80', '127.0.0.1:99999', '127.0.0.1:', '[::1]8080', '1.2.3.4:8o'])('rejects %s', (text) =>
    expect(() => parseListen(text)).toThrow(/--listen/),
  );
});

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.2', false],
  ])('%s: %s', (host, loopback) => expect(isLoopback(host)).toBe(loopback));
});

describe('tokens', () => {
  it('matches only the exact token, whatever the lengths', () => {
    expect(tokenMatches('s3cret', 's3cret')).toBe(true);
    expect(tokenMatches('s3cre', 's3cret')).toBe(false);
    expect(tokenMatches('s3cret-and-more', 's3cret')).toBe(false);
    expect(tokenMatches(undefined, 's3cret')).toBe(false);
  });
  it('takes the token of a Bearer header only', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
