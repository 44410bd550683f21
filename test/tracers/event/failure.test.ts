import { isServiceFailure } from '../../../src/tracers/event/failure';
import { eventOf } from '../../logs/helpers';

const S = (program: string, message: string) => `Mar  5 10:15:30 host ${program}: ${message}`;

describe('isServiceFailure', () => {
  it('counts a service that failed', () => {
    expect(
      isServiceFailure(eventOf(S('postgres[2]', 'could not write to file "base/1/2": No space left on device'))),
    ).toBe(true);
    expect(isServiceFailure(eventOf('203.0.113.5 - - [05/Mar/2024:10:15:30 +0000] "GET / HTTP/1.1" 502 0'))).toBe(true);
  });

  it('leaves out what people and peers did: a failed login, a packet the firewall refused', () => {
    expect(isServiceFailure(eventOf(S('sshd[7]', 'Failed password for root from 192.0.2.1 port 22 ssh2')))).toBe(false);
    const blocked = eventOf(
      S(
        'kernel',
        '[UFW BLOCK] IN=eth0 OUT= SRC=192.0.2.80 DST=203.0.113.7 LEN=44 PROTO=TCP SPT=40000 DPT=23 WINDOW=1024 SYN URGP=0',
      ),
    );
    expect([blocked.action, blocked.outcome, isServiceFailure(blocked)]).toEqual(['conn.blocked', 'failure', false]);
  });
});
