import { errorSeverity } from '../../../src/tracers/error/severity';

describe('errorSeverity', () => {
  it('moves the base by the level the program gave', () => {
    expect(errorSeverity(85, 'error', 'x')).toBe(85);
    expect(errorSeverity(85, 'emerg', 'x')).toBe(100);
    expect(errorSeverity(85, 'crit', 'x')).toBe(95);
    expect(errorSeverity(50, 'warning', 'x')).toBe(35);
    expect(errorSeverity(30, 'debug', 'x')).toBe(0);
  });

  it('reads level words near the start of a line without a parsed level', () => {
    expect(errorSeverity(50, undefined, 'FATAL:  sorry, too many clients already')).toBe(60);
    expect(errorSeverity(50, undefined, 'PANIC:  could not write to file')).toBe(65);
    expect(errorSeverity(50, undefined, 'WARNING:  out of shared memory')).toBe(35);
    expect(errorSeverity(50, undefined, 'plain text')).toBe(50);
  });

  it('a level wins over the words', () => {
    expect(errorSeverity(50, 'error', 'WARNING: disk almost full')).toBe(50);
  });
});
