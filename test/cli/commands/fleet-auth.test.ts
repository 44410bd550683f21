/**
 * The fleet commands against a real nats-server that wants TLS with client
 * certificates (a CA made here with openssl) or nkey authentication: the right
 * credentials ship, missing or wrong ones are refused in one clear line.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nkeys } from '@nats-io/transport-node';
import { cli } from '../../helpers/cli';
import { type NatsServer, startNatsServer } from '../../helpers/nats-server';

const AUTH_LOG = join(__dirname, '../../fixtures/logs/auth.log');
const SHIP = ['agent', '--once', AUTH_LOG, '--host-id', 'tls1', '--timezone', 'UTC', '--reference-date', '2026-12-31'];

const dir = mkdtempSync(join(tmpdir(), 'logsleuth-fleet-auth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

/** A certificate `ca` signs for `subject`, valid for 127.0.0.1 and localhost (the name nats.js checks). */
function issue(ca: string, subject: string): { cert: string; key: string } {
  const key = join(dir, `${subject}.key`);
  const csr = join(dir, `${subject}.csr`);
  const cert = join(dir, `${subject}.pem`);
  const ext = join(dir, `${subject}.ext`);
  writeFileSync(ext, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${subject}`);
  openssl(
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    `${ca}.pem`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    ext,
    '-out',
    cert,
  );
  return { cert, key };
}

function makeCa(name: string): string {
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-days',
    '1',
    '-subj',
    `/CN=${name}`,
  );
  return join(dir, name);
}

describe('fleet over TLS with client certificates', () => {
  let server: NatsServer;
  let ca: string;
  let client: { cert: string; key: string };
  let stranger: { cert: string; key: string };
  beforeAll(async () => {
    ca = makeCa('fleet-ca');
    const serverCert = issue(ca, 'nats-server');
    client = issue(ca, 'agent');
    stranger = issue(makeCa('other-ca'), 'stranger');
    server = await startNatsServer(
      () =>
        `tls { cert_file: "${serverCert.cert}", key_file: "${serverCert.key}", ca_file: "${ca}.pem", verify: true }`,
    );
  }, 60_000);
  afterAll(async () => server?.stop());

  it('ships with the CA and a client certificate the CA signed', async () => {
    const shipped = await cli([
      ...SHIP,
      '--nats',
      server.url,
      '--tls-ca',
      `${ca}.pem`,
      '--tls-cert',
      client.cert,
      '--tls-key',
      client.key,
    ]);
    expect(shipped).toMatchObject({ code: 0, stderr: '' });
    expect(shipped.stdout).toMatch(/^tls1: [1-9]\d* events in \d+ batches/);
  });

  it('is refused without a client certificate, or with one another CA signed', async () => {
    for (const extra of [[], ['--tls-cert', stranger.cert, '--tls-key', stranger.key]]) {
      const refused = await cli([...SHIP, '--nats', server.url, '--tls-ca', `${ca}.pem`, ...extra]);
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toContain(`cannot connect to NATS at ${server.url}`);
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('says what is wrong with half a key pair before connecting', async () => {
    const half = await cli([...SHIP, '--nats', server.url, '--tls-cert', client.cert]);
    expect(half).toMatchObject({ code: 2, stdout: '' });
    expect(half.stderr).toContain('--tls-cert and --tls-key go together');
  });
});

describe('fleet with nkey authentication', () => {
  let server: NatsServer;
  const user = nkeys.createUser();
  const seedFile = join(dir, 'agent.nk');
  const wrongSeed = join(dir, 'wrong.nk');
  beforeAll(async () => {
    writeFileSync(seedFile, new TextDecoder().decode(user.getSeed()) + '\n');
    writeFileSync(wrongSeed, new TextDecoder().decode(nkeys.createUser().getSeed()));
    server = await startNatsServer(() => `authorization { users = [ { nkey: "${user.getPublicKey()}" } ] }`);
  }, 60_000);
  afterAll(async () => server?.stop());

  it('ships with the listed user seed', async () => {
    const shipped = await cli([...SHIP, '--nats', server.url, '--nkey', seedFile]);
    expect(shipped).toMatchObject({ code: 0, stderr: '' });
    const collected = await cli(['collect', '--nats', server.url, '--nkey', seedFile, '--json']);
    expect(collected.code).toBe(0);
    expect(collected.stderr).toMatch(/from 1 host\(s\) \(tls1 [1-9]\d*\)/);
  });

  it('is refused without credentials or with a seed the server does not list, in one line', async () => {
    for (const extra of [[], ['--nkey', wrongSeed]]) {
      const refused = await cli([...SHIP, '--nats', server.url, ...extra]);
      expect(refused).toMatchObject({ code: 2, stdout: '' });
      expect(refused.stderr).toContain('the server refused our credentials');
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('names a seed file that holds no seed, and a credentials file that holds no JWT', async () => {
    const bogus = join(dir, 'bogus.txt');
    writeFileSync(bogus, 'not a key\n');
    const badSeed = await cli([...SHIP, '--nats', server.url, '--nkey', bogus]);
    expect(badSeed).toMatchObject({ code: 2 });
    expect(badSeed.stderr).toContain(`${bogus} does not hold a user nkey seed`);
    const badCreds = await cli([...SHIP, '--nats', server.url, '--creds', bogus]);
    expect(badCreds.stderr).toContain(`${bogus} is not a NATS credentials file`);
    const missing = await cli([...SHIP, '--nats', server.url, '--creds', join(dir, 'absent.creds')]);
    expect(missing.stderr).toContain('cannot read the credentials file');
  });
});
