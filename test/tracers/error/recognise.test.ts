import { recognise } from '../../../src/tracers/error/recognise';
import { eventOf } from '../../logs/helpers';

describe('recognise', () => {
  it.each([
    // PAM's answer to a wrong password reads like a file permission error
    'Jun 15 13:57:41 mail dovecot: auth-worker(3270): pam(webapps,203.0.113.7): pam_authenticate() failed: Permission denied',
    'Dec 10 07:51:15 LabSZ sshd[24324]: error: Received disconnect from 195.154.37.122: 3: com.jcraft.jsch.JSchException: Auth fail [preauth]',
  ])("does not take a client's failed login for an error: %s", (line) => {
    const event = eventOf(line);
    expect(event.hostile).toBe(true);
    expect(recognise(event)).toBeUndefined();
  });

  it('still takes a failure of the authentication service itself for one', () => {
    const event = eventOf(
      'Feb  3 08:29:28 mail postfix/smtpd[21022]: warning: unknown[198.51.100.1]: SASL LOGIN authentication failed: Connection lost to authentication server',
    );
    expect(event.hostile).toBe(false);
    expect(recognise(event)).toMatchObject({ category: 'network' });
  });
});
