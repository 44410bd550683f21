import { errnoFromNumber, firstAddress, firstPath, mentionedIps } from '../../../src/tracers/error/details';
import { errnoName, errnoText } from '../../../src/tracers/error/errno';

describe('detail extractors', () => {
  it('find the first absolute path without trailing punctuation', () => {
    expect(firstPath("OSError: [Errno 28] No space left on device: '/var/lib/app/x.bin'")).toBe('/var/lib/app/x.bin');
    expect(firstPath('write /var/lib/docker/tmp: no space left on device')).toBe('/var/lib/docker/tmp');
    expect(firstPath('open() "/srv/www/index.html" failed')).toBe('/srv/www/index.html');
    expect(firstPath('cannot stat file.txt.')).toBeUndefined();
    expect(firstPath('see /etc/app.conf.')).toBe('/etc/app.conf');
  });

  it('read errno numbers as Python and nginx print them', () => {
    expect(errnoFromNumber('OSError: [Errno 28] No space left on device')).toBe('ENOSPC');
    expect(errnoFromNumber('connect() failed (111: Connection refused)')).toBe('ECONNREFUSED');
    expect(errnoFromNumber('took 28 ms')).toBeUndefined();
  });

  it('map errno names, numbers and glibc texts both ways', () => {
    expect(errnoName(24)).toBe('EMFILE');
    expect(errnoText('EROFS')).toBe('Read-only file system');
  });

  it('find the first address with its port', () => {
    expect(firstAddress('dial tcp 10.0.0.5:6379: connect: connection refused')).toBe('10.0.0.5:6379');
    expect(firstAddress('upstream: "http://[2001:db8::1]:8080/"')).toBe('[2001:db8::1]:8080');
  });

  it('list every IPv4 and IPv6 address mentioned, not times or versions', () => {
    expect(mentionedIps('client 203.0.113.9 then 198.51.100.4, again 203.0.113.9')).toEqual([
      '203.0.113.9',
      '198.51.100.4',
    ]);
    expect(mentionedIps('from 2001:DB8::7 port 22 at 10:15:30')).toEqual(['2001:db8::7']);
    expect(mentionedIps('version 1.2.3.4.5 at 12:00:00')).toEqual([]);
    expect(mentionedIps('fe80:0:0:0:0:0:0:1 up')).toEqual(['fe80:0:0:0:0:0:0:1']);
  });
});
