import { eventOf, summary } from '../helpers';

describe("lighttpd's error log", () => {
  it('reads the stamp and the source reference (with or without its opening parenthesis)', () => {
    const event = eventOf('2024-03-05 10:15:30: (server.c.1588) server started (lighttpd/1.4.73)');
    expect(event).toMatchObject({
      format: 'lighttpd-error',
      program: 'lighttpd',
      service: 'lighttpd',
      message: 'server started (lighttpd/1.4.73)',
    });
    expect(event.fields).toEqual({ reference: 'server.c.1588' });
    expect(new Date(event.timestamp!).toISOString()).toBe('2024-03-05T10:15:30.000Z');
    expect(
      eventOf(
        "2024-03-05 10:15:31: mod_auth.c.828) password doesn't match for /secure/ username: test IP: 203.0.113.130",
      ).fields,
    ).toEqual({
      reference: 'mod_auth.c.828',
    });
  });

  it('counts failed basic and digest logins against the client', () => {
    const line =
      "2024-03-05 10:15:31: (mod_auth.c.525) password doesn't match for /admin username: admin, IP: 203.0.113.131";
    expect(summary(eventOf(line))).toMatchObject({
      action: 'http.auth_failure',
      hostile: true,
      ip: '203.0.113.131',
      user: 'admin',
    });
  });

  it('leaves other `date time: ...` lines alone', () => {
    expect(eventOf('2024-03-05 10:15:31: something (else) happened').format).not.toBe('lighttpd-error');
  });
});
