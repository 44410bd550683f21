/**
 * No Elasticsearch server can run here: the ECS documents of a real strace run
 * are checked against the index template's mappings instead (every field
 * mapped, since the template is `dynamic: strict`; each value of its field's
 * type), and the bulk output against Elasticsearch's bulk syntax.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyscallTracer } from '../../../src/tracers/syscall';
import { bulkAction, syscallToEcs } from '../../../src/tracers/syscall/ecs';

const ROOT = join(__dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'logsleuth-syscall-ecs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PROGRAM = `
import socket, os
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()
c = socket.create_connection(s.getsockname()); a, _ = s.accept()
c.send(b"hello \\x1b[31m\\n"); a.recv(100); c.close(); a.close()
with open(os.path.join(${JSON.stringify(dir)}, 'f.txt'), 'w') as f: f.write('x' * 100)
os.unlink(os.path.join(${JSON.stringify(dir)}, 'f.txt'))
try: open('/nonexistent/logsleuth')
except OSError: pass
`;

interface Mapping {
  type?: string;
  properties?: Record<string, Mapping>;
}

const template = JSON.parse(readFileSync(join(ROOT, 'schemas', 'syscall-es-template.json'), 'utf8')) as {
  template: { mappings: { dynamic: string; properties: Record<string, Mapping> } };
};

/** What a value of an Elasticsearch field type must look like in a document. */
function fits(type: string, value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value];
  return values.every((v) => {
    switch (type) {
      case 'long':
        return Number.isSafeInteger(v);
      case 'date':
        return typeof v === 'string' && !Number.isNaN(Date.parse(v)) && new Date(v).toISOString() === v;
      case 'ip':
        return typeof v === 'string' && isIP(v) !== 0;
      default:
        return typeof v === 'string';
    }
  });
}

/** The dotted names of fields not mapped or not of their mapped type. */
function misfits(doc: Record<string, unknown>, mapping: Record<string, Mapping>, prefix = ''): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(doc)) {
    const field = mapping[key];
    const name = prefix + key;
    if (!field) out.push(`${name} (not mapped)`);
    else if (field.properties) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) out.push(`${name} (not an object)`);
      else out.push(...misfits(value as Record<string, unknown>, field.properties, `${name}.`));
    } else if (!fits(field.type!, value)) out.push(`${name} (${JSON.stringify(value)} is not ${field.type})`);
  }
  return out;
}

describe('the ECS documents of a traced run', () => {
  const out = join(dir, 'trace.txt');
  writeFileSync(join(dir, 'program.py'), PROGRAM);
  execFileSync('strace', ['-f', '-q', '-ttt', '-T', '-yy', '-o', out, '/usr/bin/python3', join(dir, 'program.py')]);
  let bulk = '';
  const docs: Record<string, unknown>[] = [];
  const tracer = new SyscallTracer({
    onCall: (call, process, effect) => {
      const doc = syscallToEcs(call, process, effect, tracer.epochMs(call.time));
      docs.push(doc as unknown as Record<string, unknown>);
      bulk += bulkAction('logsleuth-syscall') + '\n' + JSON.stringify(doc) + '\n';
    },
  });
  tracer.feed(readFileSync(out, 'utf8'));
  tracer.finish();

  it('maps every field of every document to a value of its ECS type', () => {
    expect(template.template.mappings.dynamic).toBe('strict');
    expect(docs.length).toBeGreaterThan(50);
    expect(docs.flatMap((doc) => misfits(doc, template.template.mappings.properties))).toEqual([]);
  });

  it('carries the connect, the file and the failed open in ECS fields', () => {
    const action = (name: string) => docs.filter((d) => (d.event as { action: string }).action === name);
    const connect = action('connect').find((d) => d.destination);
    expect(connect).toMatchObject({ destination: { ip: '127.0.0.1' }, network: { direction: 'egress' } });
    expect(docs.some((d) => (d.file as { path?: string } | undefined)?.path === join(dir, 'f.txt'))).toBe(true);
    const failed = docs.find((d) => (d.file as { path?: string } | undefined)?.path === '/nonexistent/logsleuth');
    expect(failed).toMatchObject({ event: { outcome: 'failure' }, error: { code: 'ENOENT' } });
  });

  it('writes the bulk format: an action line before each document, every line JSON, a final newline', () => {
    const lines = bulk.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.length).toBe(docs.length * 2);
    lines.forEach((line, i) => {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      if (i % 2 === 0) expect(parsed).toEqual({ create: { _index: 'logsleuth-syscall' } });
      else expect(parsed).toHaveProperty('event.dataset', 'logsleuth.syscall');
    });
  });
});
