import { describe, expect, it } from 'vitest';
import { type RegisterLayout, type RegisterRow, readRegisterCsv } from '../../src/sources/register-csv.js';

type Field = 'id' | 'owner' | 'due';
const LAYOUT: RegisterLayout<Field> = {
  columns: { id: ['id', 'finding_id'], owner: ['owner'], due: ['due', 'due_date'] },
  required: ['id'],
  missing: (fields) => `no column ${fields.join(', ')}`,
};

function read(text: string) {
  const rows: { id: string; owner: string; due: string; rawOwner: string; line: number }[] = [];
  const problems = readRegisterCsv(text, 'r.csv', LAYOUT, (row: RegisterRow<Field>) =>
    rows.push({
      id: row.cell('id'),
      owner: row.cell('owner'),
      due: row.cell('due'),
      rawOwner: row.raw('owner'),
      line: row.line,
    }),
  );
  return { rows, problems };
}

describe('readRegisterCsv', () => {
  it('finds columns in any order and letter case, the first spelling of the layout the header has', () => {
    const { rows, problems } = read('Due_Date;OWNER;finding_id;ID;other\n2026-09-30; Ada ;F-9;F-1;x\n');
    expect(problems).toEqual([]);
    // `id` comes before `finding_id` in the layout, so the ID column wins although it stands later.
    expect(rows).toEqual([{ id: 'F-1', owner: 'Ada', due: '2026-09-30', rawOwner: ' Ada ', line: 2 }]);
  });

  it("gives '' for a field the header does not name, and the physical line of each row", () => {
    const { rows } = read('id\nA\n"B\nC"\nD\n');
    expect(rows.map((r) => [r.id, r.owner, r.line])).toEqual([
      ['A', '', 2],
      ['B\nC', '', 3],
      ['D', '', 5],
    ]);
  });

  it('a header without a required field: one problem at the header, and no row is read', () => {
    const { rows, problems } = read('owner,due\nAda,2026-09-30\n');
    expect(rows).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'column-missing',
        message: 'no column id',
        location: { file: 'r.csv', line: 1 },
      }),
    ]);
  });

  it("a text without a header is the CSV reader's located error, and no row is read", () => {
    for (const text of ['', '\uFEFF', '\n\n']) {
      const rows: string[] = [];
      expect(() => readRegisterCsv(text, 'r.csv', LAYOUT, (row) => rows.push(row.cell('id')))).toThrow(
        'no header: the file has no non-blank line',
      );
      expect(rows).toEqual([]);
    }
  });
});
