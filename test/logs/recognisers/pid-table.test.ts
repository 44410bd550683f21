import { type PidEntry, PidTable } from '../../../src/logs/recognisers/pid-table';

interface Value extends PidEntry<Value> {
  name: string;
}

const v = (name: string): Value => ({ name });
const names = (values: (Value | undefined)[]) => values.map((value) => value?.name);

describe('the per-process table', () => {
  it('keeps processes of different sources and hosts apart', () => {
    const table = new PidTable<Value>(10);
    table.set('a.log', 'h1', 7, v('a h1'));
    table.set('a.log', 'h2', 7, v('a h2'));
    table.set('b.log', 'h1', 7, v('b h1'));
    expect(names([table.get('a.log', 'h1', 7), table.get('a.log', 'h2', 7), table.get('b.log', 'h1', 7)])).toEqual([
      'a h1',
      'a h2',
      'b h1',
    ]);
    expect(table.get('a.log', 'h1', 8)).toBeUndefined();
  });

  it('forgets the entry set longest ago when full', () => {
    const table = new PidTable<Value>(2);
    table.set('s', 'h', 1, v('1'));
    table.set('s', 'h', 2, v('2'));
    table.get('s', 'h', 1);
    table.set('s', 'other', 3, v('3'));
    expect(names([table.get('s', 'h', 1), table.get('s', 'h', 2), table.get('s', 'other', 3)])).toEqual([
      undefined,
      '2',
      '3',
    ]);
    expect(table.size).toBe(2);
  });

  it('moves a process set again to the most recent place', () => {
    const table = new PidTable<Value>(2);
    table.set('s', 'h', 1, v('1'));
    table.set('s', 'h', 2, v('2'));
    table.set('s', 'h', 1, v('10'));
    table.set('s', 'h', 3, v('3'));
    expect(names([table.get('s', 'h', 1), table.get('s', 'h', 2), table.get('s', 'h', 3)])).toEqual([
      '10',
      undefined,
      '3',
    ]);
  });

  it('finds a process again after its scope emptied and filled', () => {
    const table = new PidTable<Value>(4);
    table.set('s', 'h', 1, v('1'));
    table.delete('s', 'h', 1);
    expect(table.get('s', 'h', 1)).toBeUndefined();
    table.set('s', 'h', 1, v('2'));
    table.set('s', 'x', 1, v('3'));
    expect([...names([table.get('s', 'h', 1), table.get('s', 'x', 1)]), table.size]).toEqual(['2', '3', 2]);
  });

  it('stays bounded over many hosts', () => {
    const table = new PidTable<Value>(100);
    for (let i = 0; i < 10_000; i++) table.set('s', `host${i}`, i % 7, v(String(i)));
    expect(table.size).toBe(100);
    expect(table.get('s', 'host9999', 9999 % 7)?.name).toBe('9999');
    expect(table.get('s', 'host0', 0)).toBeUndefined();
  });
});
