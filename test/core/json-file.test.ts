import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseJsonSafely, readJsonFile, writeFileAtomic, writeJsonFile } from '../../src/core/json-file';
import { SchemaError } from '../../src/core/schemas';

const finding = { kind: 'ip.threat', key: '192.0.2.1', tracer: 'ip', at: 1, data: {}, depth: 0 };

describe('JSON files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-json-'));

  it('writes atomically and leaves no temporary file behind', async () => {
    const path = join(dir, 'a.json');
    await writeFileAtomic(path, 'old');
    await writeFileAtomic(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir).filter((name) => name.includes('.tmp'))).toEqual([]);
  });

  it('refuses to write data that does not match its schema, keeping the old file', async () => {
    const path = join(dir, 'finding.json');
    await writeJsonFile(path, 'finding', finding);
    await expect(writeJsonFile(path, 'finding', { ...finding, depth: -1 })).rejects.toThrow(SchemaError);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(finding);
  });

  it('reads back what it wrote, validated', async () => {
    const path = join(dir, 'round.json');
    await writeJsonFile(path, 'finding', finding);
    await expect(readJsonFile(path, 'finding')).resolves.toEqual(finding);
  });

  it('names the file and the problem when the JSON is broken or invalid', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"kind": ');
    await expect(readJsonFile(broken, 'finding')).rejects.toThrow(`${broken}: not JSON`);
    const invalid = join(dir, 'invalid.json');
    writeFileSync(invalid, JSON.stringify({ ...finding, tracer: '' }));
    await expect(readJsonFile(invalid, 'finding')).rejects.toThrow(
      'not a valid finding: /tracer must NOT have fewer than 1 characters',
    );
  });

  it('drops __proto__ keys so a hostile file cannot reach a prototype', () => {
    const parsed = parseJsonSafely('{"__proto__": {"polluted": true}, "a": {"__proto__": {"x": 1}}}') as Record<
      string,
      unknown
    >;
    expect(Object.keys(parsed)).toEqual(['a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(parsed.a)).toBe(Object.prototype);
  });
});
