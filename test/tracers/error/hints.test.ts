import { ERROR_PATTERNS, MYSQL_ERRNO } from '../../../src/tracers/error/categories';
import { adviceFor, hasOwnAdvice } from '../../../src/tracers/error/hints';

describe('hints', () => {
  it('every recogniser row has advice written for its own sub-kind', () => {
    const missing = ERROR_PATTERNS.filter(
      (row) => row.category !== 'exception' && !hasOwnAdvice(row.category, row.subkind),
    ).map((row) => `${row.category}/${row.subkind} (${row.id})`);
    // Generic SQLSTATE and MySQL rows fall back to the database advice until an exact code gives a sub-kind.
    expect(missing).toEqual(['database/error (postgres-sqlstate)', 'database/error (mysql-errno)']);
  });

  it('every MySQL errno sub-kind has its own advice', () => {
    for (const subkind of new Set(Object.values(MYSQL_ERRNO))) expect(hasOwnAdvice('database', subkind)).toBe(true);
  });

  it('spells out an errno the details carry when no row explains the error', () => {
    expect(adviceFor('other', 'unrecognised', { service: 'backup', code: 'ESTALE', codeKind: 'errno' }).hint).toBe(
      'backup logged an error no recogniser explains (ESTALE: Stale file handle).',
    );
  });

  it('names what the details know: the path, the process, the target', () => {
    expect(adviceFor('disk', 'no-space', { path: '/var/lib/postgresql/16/main/base' }).hint).toBe(
      'The disk holding /var/lib/postgresql/16/main/base is full (ENOSPC): writes fail until space is freed.',
    );
    expect(adviceFor('disk', 'no-space', {}).hint).toBe('The disk is full (ENOSPC): writes fail until space is freed.');
    expect(adviceFor('memory', 'oom-kill', { process: 'mysqld', pid: 812 }).actions[0]).toBe(
      'Restart mysqld and check it came back (systemctl status, journalctl -u).',
    );
    expect(adviceFor('network', 'connection-refused', { target: '10.0.0.5:5432' }).hint).toBe(
      'Nothing accepted the connection to 10.0.0.5:5432: the service is down or not listening there.',
    );
    expect(
      adviceFor('exception', 'python', {
        type: 'KeyError',
        message: "'id'",
        file: 'app/views.py',
        line: 12,
        function: 'show',
      }).hint,
    ).toBe("An unhandled KeyError in app/views.py:12 (show): 'id'.");
  });
});
