import { MYSQL_ERRNO, sqlstateSubkind } from '../../../../src/tracers/error/categories';
import { recogniserTable } from './table';

recogniserTable(
  'PostgreSQL recognisers',
  [
    {
      line: '2024-03-01 10:12:01.123 UTC [4711] ERROR:  deadlock detected',
      rule: 'database/postgres-deadlock',
      subkind: 'deadlock',
      details: { code: '40P01', codeKind: 'sqlstate', service: 'postgresql' },
    },
    {
      line: '2024-03-01 10:12:01.123 UTC [4711] ERROR:  40P01: deadlock detected',
      rule: 'database/postgres-deadlock',
      subkind: 'deadlock',
      details: { code: '40P01' },
    },
    {
      line: 'ERROR:  duplicate key value violates unique constraint "users_email_key"',
      rule: 'database/postgres-unique',
      subkind: 'unique-violation',
      details: { code: '23505', target: 'users_email_key' },
    },
    {
      line: 'ERROR:  insert or update on table "orders" violates foreign key constraint "orders_user_id_fkey"',
      rule: 'database/postgres-foreign-key',
      subkind: 'foreign-key-violation',
      details: { code: '23503', target: 'orders' },
    },
    {
      line: 'FATAL:  sorry, too many clients already',
      rule: 'database/postgres-too-many-clients',
      subkind: 'too-many-connections',
      details: { code: '53300' },
    },
    {
      line: 'FATAL:  remaining connection slots are reserved for non-replication superuser connections',
      rule: 'database/postgres-too-many-clients',
      subkind: 'too-many-connections',
    },
    {
      line: 'FATAL:  password authentication failed for user "app"',
      rule: 'database/postgres-password',
      subkind: 'authentication',
      details: { code: '28P01', target: 'app' },
    },
    {
      line: 'FATAL:  no pg_hba.conf entry for host "10.0.0.7", user "app", database "shop", SSL off',
      rule: 'database/postgres-hba',
      subkind: 'authentication',
      details: { target: '10.0.0.7' },
    },
    {
      line: 'psycopg2.OperationalError: could not connect to server: Connection refused',
      rule: 'database/postgres-connect',
      subkind: 'connection',
      details: { message: 'Connection refused' },
    },
    {
      line: 'psql: error: connection to server at "db.internal" (10.0.0.5), port 5432 failed: Connection refused',
      rule: 'database/postgres-connect',
      subkind: 'connection',
      details: { target: 'db.internal', message: 'Connection refused' },
    },
    {
      line: 'psql: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: No such file or directory',
      rule: 'database/postgres-connect',
      subkind: 'connection',
      details: { path: '/var/run/postgresql/.s.PGSQL.5432' },
    },
    {
      line: 'ERROR:  syntax error at or near "FORM" at character 10',
      rule: 'database/postgres-syntax',
      subkind: 'syntax',
      details: { target: 'FORM', code: '42601' },
    },
    {
      line: 'ERROR:  canceling statement due to lock timeout',
      rule: 'database/postgres-lock-timeout',
      subkind: 'lock-timeout',
      details: { code: '55P03' },
    },
    {
      line: 'ERROR:  canceling statement due to statement timeout',
      rule: 'database/postgres-statement-timeout',
      subkind: 'query-timeout',
      details: { code: '57014' },
    },
    {
      line: 'ERROR:  relation "invoices" does not exist at character 15',
      rule: 'database/postgres-missing',
      subkind: 'missing-relation',
      details: { target: 'invoices' },
    },
    {
      line: 'FATAL:  database "shop" does not exist',
      rule: 'database/postgres-missing',
      subkind: 'missing-database',
      details: { target: 'shop' },
    },
    {
      line: 'FATAL:  the database system is starting up',
      rule: 'database/postgres-starting',
      subkind: 'unavailable',
      details: { code: '57P03' },
    },
    {
      line: 'ERROR:  22P02: invalid input syntax for type integer: "abc"',
      rule: 'database/postgres-sqlstate',
      subkind: 'data-exception',
      details: { code: '22P02', codeKind: 'sqlstate' },
    },
  ],
  [
    { line: 'LOG:  database system is ready to accept connections' },
    { line: 'LOG:  checkpoint complete: wrote 12 buffers (0.1%)' },
    { line: 'LOG:  connection authorized: user=app database=shop' },
    { line: 'deadlock_timeout = 1s' },
    { line: 'Table "public.users" has a unique constraint "users_email_key"' },
  ],
);

recogniserTable(
  'MySQL and MariaDB recognisers',
  [
    {
      line: 'ERROR 1213 (40001): Deadlock found when trying to get lock; try restarting transaction',
      rule: 'database/mysql-errno',
      subkind: 'deadlock',
      details: { code: '1213', codeKind: 'mysql' },
    },
    {
      line: "ERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: YES)",
      rule: 'database/mysql-errno',
      subkind: 'authentication',
      details: { code: '1045' },
    },
    {
      line: "ERROR 2002 (HY000): Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)",
      rule: 'database/mysql-errno',
      subkind: 'connection',
      details: { code: '2002' },
    },
    { line: 'ERROR 1040 (08004): Too many connections', rule: 'database/mysql-errno', subkind: 'too-many-connections' },
    {
      line: "ERROR 1062 (23000): Duplicate entry 'alice@example.com' for key 'users.email'",
      rule: 'database/mysql-errno',
      subkind: 'unique-violation',
    },
    {
      line: 'ERROR 1205 (HY000): Lock wait timeout exceeded; try restarting transaction',
      rule: 'database/mysql-errno',
      subkind: 'lock-timeout',
    },
    {
      line: "pymysql.err.OperationalError: (2003, \"Can't connect to MySQL server on '10.0.0.9' ([Errno 111] Connection refused)\")",
      rule: 'database/mysql-errno',
      subkind: 'connection',
      details: { code: '2003' },
    },
    {
      line: "MySQLdb.OperationalError: (2006, 'MySQL server has gone away')",
      rule: 'database/mysql-errno',
      subkind: 'connection-lost',
    },
    {
      line: '2024-03-01T10:00:00.123456Z 12 [Note] InnoDB: Transactions deadlock detected, dumping detailed information.',
      rule: 'database/mysql-deadlock',
      subkind: 'deadlock',
      details: { code: '1213', codeKind: 'mysql' },
    },
    {
      line: "Can't connect to MySQL server on 'db.internal:3306' (111)",
      rule: 'database/mysql-connect',
      subkind: 'connection',
      details: { target: 'db.internal:3306' },
    },
    {
      line: 'Lost connection to MySQL server during query',
      rule: 'database/mysql-connect',
      subkind: 'connection-lost',
    },
    {
      line: "2024-03-01T10:00:00.123456Z 8 [Note] Aborted connection 8 to db: 'shop' user: 'app' host: '10.0.0.3' (Got timeout reading communication packets)",
      rule: 'database/mysql-aborted',
      subkind: 'connection-lost',
      details: { target: 'shop' },
    },
  ],
  [
    { line: '2024-03-01T10:00:00.123456Z 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections.' },
    { line: 'Query OK, 1 row affected (0.01 sec)' },
    { line: 'max_connections = 151' },
  ],
);

recogniserTable(
  'SQLite, Redis and MongoDB recognisers',
  [
    { line: 'sqlite3.OperationalError: database is locked', rule: 'database/sqlite-locked', subkind: 'lock-timeout' },
    {
      line: 'sqlalchemy.exc.IntegrityError: (sqlite3.IntegrityError) UNIQUE constraint failed: users.email',
      rule: 'database/sqlite-constraint',
      subkind: 'unique-violation',
      details: { target: 'users.email', code: 'SQLITE_CONSTRAINT' },
    },
    {
      line: 'sqlite3.IntegrityError: FOREIGN KEY constraint failed',
      rule: 'database/sqlite-constraint',
      subkind: 'foreign-key-violation',
    },
    { line: 'Error: database disk image is malformed', rule: 'database/sqlite-corrupt', subkind: 'corruption' },
    {
      line: 'sqlite3.OperationalError: no such table: sessions',
      rule: 'database/sqlite-no-table',
      subkind: 'missing-relation',
      details: { target: 'sessions' },
    },
    {
      line: "(error) MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk.",
      rule: 'database/redis-misconf',
      subkind: 'persistence',
    },
    {
      line: 'Could not connect to Redis at 127.0.0.1:6379: Connection refused',
      rule: 'database/redis-connect',
      subkind: 'connection',
      details: { target: '127.0.0.1:6379' },
    },
    {
      line: 'redis.exceptions.ConnectionError: Error 111 connecting to localhost:6379. Connection refused.',
      rule: 'database/redis-connect',
      subkind: 'connection',
      details: { target: 'localhost:6379' },
    },
    { line: '(error) NOAUTH Authentication required.', rule: 'database/redis-auth', subkind: 'authentication' },
    { line: 'ERR max number of clients reached', rule: 'database/redis-maxclients', subkind: 'too-many-connections' },
    {
      line: 'MongoServerError: E11000 duplicate key error collection: shop.users index: email_1 dup key: { email: "a@b.c" }',
      rule: 'database/mongo-duplicate',
      subkind: 'unique-violation',
      details: { target: 'shop.users', code: '11000' },
    },
    {
      line: 'MongoServerSelectionError: connect ECONNREFUSED 127.0.0.1:27017',
      rule: 'database/mongo-connect',
      subkind: 'connection',
      details: { type: 'MongoServerSelectionError' },
    },
    {
      line: 'pymongo.errors.ServerSelectionTimeoutError: localhost:27017: [Errno 111] Connection refused',
      rule: 'database/mongo-connect',
      subkind: 'connection',
      details: { code: 'ECONNREFUSED' },
    },
    { line: 'MongoServerError: Authentication failed.', rule: 'database/mongo-auth', subkind: 'authentication' },
    {
      line: 'MongoServerError: operation exceeded time limit',
      rule: 'database/mongo-time-limit',
      subkind: 'query-timeout',
    },
  ],
  [
    { line: 'Redis version=7.2.4, bits=64, commit=00000000, modified=0, pid=1, just started' },
    { line: 'sqlite> .tables' },
  ],
);

describe('database code tables', () => {
  it('maps a SQLSTATE to its exact subkind, else to its class', () => {
    expect(sqlstateSubkind('40P01')).toBe('deadlock');
    expect(sqlstateSubkind('08006')).toBe('connection');
    expect(sqlstateSubkind('XX000')).toBe('internal-error');
    expect(sqlstateSubkind('ZZ999')).toBeUndefined();
  });

  it('maps the MySQL errors a DBA meets most to subkinds', () => {
    expect(MYSQL_ERRNO['1213']).toBe('deadlock');
    expect(MYSQL_ERRNO['2013']).toBe('connection-lost');
  });
});

recogniserTable(
  'PostgreSQL events as the postgresql format parses them (SQLSTATE in fields)',
  [
    {
      line: 'deadlock detected',
      rule: 'database/postgres-deadlock',
      subkind: 'deadlock',
      details: { code: '40P01', codeKind: 'sqlstate', service: 'postgresql' },
      event: { fields: { sqlstate: '40P01' }, level: 'error', service: 'postgresql' },
    },
    {
      line: 'value too long for type character varying(20)',
      rule: 'database/sqlstate-field',
      subkind: 'data-exception',
      details: { code: '22001', codeKind: 'sqlstate', service: 'postgresql' },
      event: { fields: { sqlstate: '22001' }, level: 'error', service: 'postgresql' },
    },
  ],
  [],
);
