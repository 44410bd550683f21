import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseStackTrace, reportedException } from '../../../src/tracers/error/stack-trace';
import { stackSignature, stackTemplate } from '../../../src/tracers/error/signature';

const fixture = (name: string) => readFileSync(join(__dirname, '..', '..', 'fixtures', 'errors', name), 'utf8');

describe('parseStackTrace', () => {
  it('reads a chained Python traceback ("During handling of the above exception") root cause first', () => {
    const trace = parseStackTrace(fixture('python-during-handling.txt'))!;
    expect(trace.language).toBe('python');
    expect(trace.exceptions.map((e) => [e.type, e.message])).toEqual([
      ['KeyError', "'u-1842'"],
      ['ValueError', 'no cart for u-1842'],
    ]);
    expect(trace.exceptions[1]!.frames.map((f) => [f.file, f.line, f.function, f.inApp])).toEqual([
      ['/srv/shop/venv/lib/python3.11/site-packages/flask/app.py', 1484, 'full_dispatch_request', false],
      ['/srv/shop/app/views.py', 88, 'checkout', true],
      ['/srv/shop/app/cart.py', 43, 'load_cart', true],
    ]);
  });

  it('reads "The above exception was the direct cause" chains and dotted exception types', () => {
    const trace = parseStackTrace(fixture('python-direct-cause.txt'))!;
    expect(trace.exceptions.map((e) => e.type)).toEqual([
      'ConnectionRefusedError',
      'billing.errors.DatabaseUnavailable',
    ]);
    expect(trace.exceptions[0]!.frames[0]!.inApp).toBe(false);
  });

  it('reads a Java trace with Caused by, root cause first, frames in call order, JDK frames not in-app', () => {
    const trace = parseStackTrace(fixture('java-caused-by.txt'))!;
    expect(trace.language).toBe('java');
    expect(trace.exceptions.map((e) => e.type)).toEqual([
      'org.postgresql.util.PSQLException',
      'org.springframework.dao.DataAccessResourceFailureException',
    ]);
    const outer = trace.exceptions[1]!;
    expect(outer.frames.map((f) => [f.function, f.line, f.inApp])).toEqual([
      ['java.base/java.lang.Thread.run', 833, false],
      ['com.example.shop.OrderController.create', 31, true],
      ['com.example.shop.OrderService.placeOrder', 58, true],
      ['org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException', 277, true],
    ]);
  });

  it('reads a Node error stack and marks node_modules and node: internals as not in-app', () => {
    const trace = parseStackTrace(fixture('node-type-error.txt'))!;
    expect(trace.language).toBe('node');
    const [exception] = trace.exceptions;
    expect(exception!.type).toBe('TypeError');
    expect(exception!.frames.map((f) => [f.function, f.inApp])).toEqual([
      ['process.processTicksAndRejections', false],
      ['Layer.handle [as handle_request]', false],
      ['handler', true],
      ['getUser', true],
    ]);
    expect(reportedException(trace).frame).toMatchObject({ file: '/app/src/users.js', line: 14, function: 'getUser' });
  });

  it('never throws on any multi-line text, including mangled traces', () => {
    const pieces = fc.constantFrom(
      'Traceback (most recent call last):',
      '  File "/x.py", line 1, in f',
      '\tat a.B.c(B.java:1)',
      '    at f (/a.js:1:2)',
      'Caused by: x.Y: z',
      'ValueError: v',
      'TypeError: t',
      '',
    );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(pieces, fc.string({ unit: 'binary', maxLength: 60 })), { maxLength: 20 }),
        (lines) => {
          parseStackTrace(lines.join('\n'));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('finds no trace in a single line or in prose', () => {
    expect(parseStackTrace('ValueError: x')).toBeUndefined();
    expect(parseStackTrace('first line\nsecond line')).toBeUndefined();
  });
});

describe('stack signatures', () => {
  it('group the same exception from two deploys (other root, other line numbers) together', () => {
    const a = parseStackTrace(fixture('node-type-error.txt'))!;
    const b = parseStackTrace(fixture('node-type-error-other-deploy.txt'))!;
    expect(stackSignature(a)).toBe(stackSignature(b));
    expect(stackTemplate(a)).toBe(
      'TypeError: Cannot read properties of undefined (reading <*> at src/users.js:getUser',
    );
  });

  it('tell apart the same exception type raised from different application code', () => {
    const a = parseStackTrace(fixture('node-type-error.txt'))!;
    const moved = fixture('node-type-error.txt').replace(
      'at getUser (/app/src/users.js',
      'at getOrder (/app/src/orders.js',
    );
    expect(stackSignature(parseStackTrace(moved)!)).not.toBe(stackSignature(a));
  });

  it('are 16 hex digits, the same in every run', () => {
    expect(stackSignature(parseStackTrace(fixture('python-during-handling.txt'))!)).toMatch(/^[0-9a-f]{16}$/);
    expect(stackSignature(parseStackTrace(fixture('python-during-handling.txt'))!)).toBe(
      stackSignature(parseStackTrace(fixture('python-during-handling.txt'))!),
    );
  });
});
