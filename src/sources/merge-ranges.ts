/**
 * Puts the ranges of one file (load-ranges.ts), read apart, back together as if the file had been read
 * in one pass: rows, columns, problems and rejected rows in file order, line and record numbers made
 * file-wide by adding the lines and records of the ranges before, the first MAX_KEPT_* problems and
 * rejected rows of the whole file, counts summed. Works on finished columns (the Column union of
 * table.ts, joined by concatColumns: dictionaries merged, free-text pages shared), never on a
 * ColumnBuilder.
 */
import type { Problem } from '../problems.js';
import { type LoadedSource, MAX_KEPT_PROBLEMS, MAX_KEPT_REJECTED, type RejectedRow } from './intake.js';
import { type Column, concatColumns, type Table } from './table.js';

/** One range's result with the lines and records of the file before it. */
export interface RangePart {
  loaded: LoadedSource;
  lineOffset: number;
  recordOffset: number;
}

export function mergeRanges(
  parts: readonly RangePart[],
  extra: { sha256: string; bytes: number },
): LoadedSource {
  const first = parts[0]!.loaded;
  const columns = new Map<string, Column>();
  for (const name of first.table.columns.keys())
    columns.set(name, concatColumns(parts.map((p) => p.loaded.table.columns.get(name)!)));
  const length = parts.reduce((n, p) => n + p.loaded.table.length, 0);
  const line = new Int32Array(length);
  const record = new Int32Array(length);
  let at = 0;
  for (const { loaded, lineOffset, recordOffset } of parts) {
    const t = loaded.table;
    for (let i = 0; i < t.length; i++) {
      line[at + i] = t.line[i]! + lineOffset;
      record[at + i] = t.record[i]! + recordOffset;
    }
    at += t.length;
  }
  const table: Table = { name: first.table.name, file: first.table.file, length, columns, line, record };

  const problems: Problem[] = [];
  const rejectedRows: RejectedRow[] = [];
  for (const { loaded, lineOffset, recordOffset } of parts) {
    for (const p of loaded.problems) {
      if (problems.length >= MAX_KEPT_PROBLEMS) break;
      problems.push(lineOffset === 0 && recordOffset === 0 ? p : shifted(p, lineOffset, recordOffset));
    }
    for (const r of loaded.rejectedRows) {
      if (rejectedRows.length >= MAX_KEPT_REJECTED) break;
      rejectedRows.push({
        ...r,
        line: r.line + lineOffset,
        endLine: r.endLine + lineOffset,
        record: r.record + recordOffset,
      });
    }
  }

  const sum = (key: 'rowsRead' | 'rejected' | 'duplicates' | 'warnings' | 'dataWarnings') =>
    parts.reduce((n, p) => n + p.loaded.stats[key], 0);
  const times = parts.map((p) => p.loaded.stats).filter((s) => s.minTime !== null);
  return {
    ...first,
    table,
    problems,
    problemCount: parts.reduce((n, p) => n + p.loaded.problemCount, 0),
    rejectedRows,
    stats: {
      ...first.stats,
      bytes: extra.bytes,
      sha256: extra.sha256,
      rowsRead: sum('rowsRead'),
      accepted: length,
      rejected: sum('rejected'),
      duplicates: sum('duplicates'),
      warnings: sum('warnings'),
      dataWarnings: sum('dataWarnings'),
      minTime: times.length > 0 ? Math.min(...times.map((s) => s.minTime!)) : null,
      maxTime: times.length > 0 ? Math.max(...times.map((s) => s.maxTime!)) : null,
    },
  };
}

function shifted(p: Problem, lineOffset: number, recordOffset: number): Problem {
  const { line, endLine, record } = p.location;
  return {
    ...p,
    location: {
      ...p.location,
      ...(line !== undefined ? { line: line + lineOffset } : {}),
      ...(endLine !== undefined ? { endLine: endLine + lineOffset } : {}),
      ...(record !== undefined && record > 0 ? { record: record + recordOffset } : {}),
    },
  };
}
