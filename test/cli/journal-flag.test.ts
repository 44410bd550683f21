import { journalChoice } from '../../src/cli/journal-flag';

describe('journalChoice', () => {
  it('leaves the paths alone without --journal', () => {
    expect(journalChoice(['a.log'], undefined)).toEqual({ paths: ['a.log'], journal: undefined });
  });

  it('reads every unit when --journal has no value', () => {
    expect(journalChoice(['a.log'], true)).toEqual({ paths: ['a.log'], journal: {} });
  });

  it('takes a value that could be a unit as the unit', () => {
    expect(journalChoice([], 'nginx')).toEqual({ paths: [], journal: { unit: 'nginx' } });
    expect(journalChoice([], 'ssh*.service')).toEqual({ paths: [], journal: { unit: 'ssh*.service' } });
  });

  it('puts a value holding a slash back among the paths: no unit name holds one', () => {
    expect(journalChoice(['b.log'], '/var/log/auth.log')).toEqual({
      paths: ['/var/log/auth.log', 'b.log'],
      journal: {},
    });
  });

  it('puts a value naming an existing file back among the paths', () => {
    expect(journalChoice([], 'package.json')).toEqual({ paths: ['package.json'], journal: {} });
  });
});
