/**
 * The intake's common part: what every reader (CSV rows, CSV spans, JSON) shares. It counts rows,
 * keeps problems and rejected rows (up to a limit; all are counted), commits accepted rows into the
 * column builders, and finishes into a LoadedSource. Rejected rows are kept with their reasons so
 * reports can count them and the evidence pack can list them.
 */
import { IsmsKpiError, type Problem, problem } from '../problems.js';
import type { DayOrder } from '../time/day-order.js';
import { type Binding, createBindings } from './bindings.js';
import { hashKey } from './record-key.js';
import type { ResolvedSource } from './resolve.js';
import type { AsOfSource } from './schema.js';
import { BOOL_NULL, type Column, ColumnBuilder, flatCopy, IntBuilder, type Table } from './table.js';

/** How many problems and rejected rows are kept in memory per source (all are counted). */
export const MAX_KEPT_PROBLEMS = 1000;
export const MAX_KEPT_REJECTED = 100_000;

export interface SourceStats {
  source: string;
  file: string;
  format: 'csv' | 'json' | 'jsonl';
  bytes: number;
  sha256: string;
  encoding?: string;
  delimiter?: string;
  rowsRead: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  warnings: number;
  /** Warnings that mean values may be missing or misplaced (short rows); validate counts them as data problems. */
  dataWarnings: number;
  timeField?: string;
  /** Earliest and latest value of the time field among accepted rows (epoch ms). */
  minTime: number | null;
  maxTime: number | null;
}

export interface RejectedRow {
  /** A source read from several files: the index of the row's file in LoadedSource.files. */
  part?: number;
  line: number;
  endLine: number;
  record: number;
  reasons: string[];
  cells: string[];
}

/** When a snapshot was taken (src/engine/as-of.ts): the instant (null: unknown), how that was determined. */
export interface SnapshotTime {
  instant: number | null;
  how: AsOfSource;
  /** Why it is unknown, in words. */
  unknown?: string;
  /**
   * A source with `period_offset:` reads an earlier period's file: the period it describes (its end is the
   * instant staleness measures against, src/engine/status.ts).
   */
  describes?: { label: string; end: number };
}

export interface LoadedSource {
  name: string;
  /** For snapshots: when the export was taken, set by the engine once the file is read; null until then. */
  asOf: SnapshotTime | null;
  /** The file's modification time (epoch ms), when it could be read; used only where as_of: file_modified. */
  modified: number | null;
  source: ResolvedSource;
  table: Table;
  stats: SourceStats;
  /** The first MAX_KEPT_PROBLEMS problems, in file order. */
  problems: Problem[];
  problemCount: number;
  rejectedRows: RejectedRow[];
  /** Header names as seen in the file (CSV) or the keys of the first record (JSON). */
  header: string[];
  /** CSV: optional fields whose column is not in the header (each has a column-missing warning unless unused). */
  emptyFields: string[];
  /** CSV: the empty fields the catalogue does not read (LoadOptions.used): listed, not warned about. */
  unusedAbsentFields: string[];
  /** The absolute path read (the pattern, for several files), set by the engine (engine/run.ts). */
  path?: string;
  /**
   * Day-first detection: the order each field's values proved (time/day-order.ts), so that a second
   * read of the same bytes (the evidence pack's) reads them in that order from the first row.
   */
  dayOrders?: Record<string, DayOrder>;
  /**
   * A source read from several files (a glob or a list, load-files.ts): each file in read order, with the
   * first table row it holds; rows, rejected rows (`part`) and problems name their own file and line.
   */
  files?: FilePart[];
}

/** One file of a source read from several files. */
export interface FilePart {
  /** As users see it (relative to the working directory). */
  file: string;
  /** Absolute; for the paths reports record relative to the catalogue. */
  path: string;
  bytes: number;
  sha256: string;
  rowsRead: number;
  accepted: number;
  rejected: number;
  /** Rows left out because a file read before held a row with the same key. */
  duplicates: number;
  /** Index of its first accepted row in the table (rows of a file are contiguous). */
  firstRow: number;
}

/** The index in `files` of the file a table row came from (rows are in file order). */
export function partOfRow(files: readonly FilePart[], row: number): number {
  let lo = 0;
  let hi = files.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (files[mid]!.firstRow <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The file a table row came from, as users see it. */
export function fileOfRow(loaded: Pick<LoadedSource, 'files' | 'stats'>, row: number): string {
  return loaded.files ? loaded.files[partOfRow(loaded.files, row)]!.file : loaded.stats.file;
}

/**
 * `duplicates: drop-exact` in a range of a file (load-ranges.ts): the key of every record kept as not a
 * duplicate within the range, so that the merge can find the duplicates of records of earlier ranges.
 * For each: the key, a hash of it, the record number, and how it ended (0: accepted; else rejected,
 * with that many problems).
 */
export interface DistinctRecords {
  keys: string[];
  hashes: Int32Array;
  records: Int32Array;
  outcomes: Int32Array;
}

/** What an intake stores and checks (LoadOptions has the meaning of each). */
export interface IntakeOptions {
  keep?: ReadonlySet<string> | undefined;
  checkAll?: boolean | undefined;
  rowPath?: boolean | undefined;
  /** The fields the catalogue reads (LoadOptions.used); undefined: all. */
  used?: ReadonlySet<string> | undefined;
  /** Day-first detection: the order an earlier read proved, by field (LoadedSource.dayOrders). */
  dayOrders?: Readonly<Record<string, DayOrder>> | undefined;
}

export abstract class Intake {
  protected readonly bindings: Binding[];
  protected lines = new IntBuilder();
  protected records = new IntBuilder();
  /** Rows accepted before the rows the builders hold now (takeChunk moves rows out of them). */
  private rowsTaken = 0;
  private readonly problems: Problem[] = [];
  private problemCount = 0;
  private readonly rejectedRows: RejectedRow[] = [];
  protected rowsRead = 0;
  private rejected = 0;
  protected duplicates = 0;
  private warnings = 0;
  protected dataWarnings = 0;
  /** Header names as seen in the file (CSV) or the keys of the first record (JSON). */
  protected headerCells: string[] = [];
  /** CSV: optional fields whose column is not in the header. */
  protected emptyFields: string[] = [];
  protected unusedAbsentFields: string[] = [];
  /** The fields the catalogue reads (LoadOptions.used); undefined: all. */
  protected readonly used: ReadonlySet<string> | undefined;
  protected readonly seen: Set<string> | undefined;
  protected readonly timeBinding: Binding | undefined;
  protected minTime = Number.POSITIVE_INFINITY;
  protected maxTime = Number.NEGATIVE_INFINITY;
  private readonly isFailFast: boolean;
  /** Set by collectDistinct (ranges that drop duplicates). */
  private distinct:
    | { keys: string[]; hashes: IntBuilder; records: IntBuilder; outcomes: IntBuilder }
    | undefined;

  get rows(): number {
    return this.rowsRead;
  }

  /** Several files (load-files.ts): what follows comes from file number `part`, shown as `file`. */
  nextFile(file: string, part: number): void {
    this.file = file;
    this.part = part;
  }

  /** The header as read (CSV), trimmed. */
  headerNames(): string[] {
    return this.headerCells.map((c) => c.trim());
  }

  /** The counts so far (load-files.ts takes the difference per file). */
  counts(): { rowsRead: number; accepted: number; rejected: number } {
    return { rowsRead: this.rowsRead, accepted: this.rowsTaken + this.lines.length, rejected: this.rejected };
  }

  reserve(rows: number): void {
    for (const binding of this.bindings) if (binding.isStored) binding.builder.reserve(rows);
    this.lines.reserve(rows);
    this.records.reserve(rows);
  }

  /** Several files: the index of the file being read, kept on its rejected rows. */
  private part: number | undefined;

  constructor(
    protected readonly source: ResolvedSource,
    protected file: string,
    options: IntakeOptions = {},
  ) {
    this.bindings = createBindings(source, options.keep, options.checkAll);
    this.used = options.used;
    // Day-first detection: a stored datetime field's reader learns the row each value belongs to, and
    // reads in the order an earlier read of the same bytes proved, when given (options.dayOrders).
    for (const b of this.bindings) {
      const order = b.field.dayOrder;
      if (!order) continue;
      if (b.isStored) order.rowIndex = () => b.builder.length;
      const imposed = options.dayOrders?.[b.field.spec.name];
      if (imposed) order.impose?.(imposed);
    }
    this.timeBinding = this.bindings.find((b) => b.field.spec.name === source.timeField);
    this.seen = source.config.duplicates === 'drop-exact' ? new Set() : undefined;
    this.isFailFast = source.config.on_invalid === 'fail';
  }

  addProblem(p: Problem): void {
    this.problemCount++;
    if (p.severity === 'warning') this.warnings++;
    if (this.problems.length < MAX_KEPT_PROBLEMS) this.problems.push(p);
    if (this.isFailFast && p.severity === 'error') {
      throw new IsmsKpiError({
        ...p,
        message: `${p.message} (source ${this.source.name} has on_invalid: fail)`,
      });
    }
  }

  lostRecord(p: Problem): void {
    this.rowsRead++;
    const line = p.location.line ?? 0;
    this.reject(line, line, p.location.record ?? 0, [p.message], []);
  }

  /**
   * `duplicates: drop-exact`: true (and counted) when a record with this key was seen before; else the
   * key is remembered.
   */
  protected isDuplicate(key: string, record: number): boolean {
    const seen = this.seen!;
    if (seen.has(key)) {
      this.duplicates++;
      return true;
    }
    seen.add(key);
    const distinct = this.distinct;
    if (distinct) {
      distinct.keys.push(key);
      distinct.hashes.push(hashKey(key));
      distinct.records.push(record);
    }
    return false;
  }

  /** Keeps the records that are not duplicates within this part of the file (see DistinctRecords). */
  collectDistinct(): void {
    if (this.seen)
      this.distinct = {
        keys: [],
        hashes: new IntBuilder(),
        records: new IntBuilder(),
        outcomes: new IntBuilder(),
      };
  }

  /** How a record that passed the duplicate check ended: 0 accepted, else rejected with that many problems. */
  protected settled(problems: number): void {
    this.distinct?.outcomes.push(problems);
  }

  /** The records collectDistinct kept, once the part is read. */
  takeDistinct(): DistinctRecords | undefined {
    const d = this.distinct;
    if (!d) return undefined;
    this.distinct = undefined;
    return {
      keys: d.keys,
      hashes: d.hashes.finish(),
      records: d.records.finish(),
      outcomes: d.outcomes.finish(),
    };
  }

  protected reject(line: number, endLine: number, record: number, reasons: string[], cells: string[]): void {
    this.rejected++;
    // Cells are copied flat: a cell cut out of a decoded chunk would keep the whole chunk alive.
    if (this.rejectedRows.length < MAX_KEPT_REJECTED)
      this.rejectedRows.push(
        this.part === undefined
          ? { line, endLine, record, reasons, cells: cells.map(flatCopy) }
          : { part: this.part, line, endLine, record, reasons, cells: cells.map(flatCopy) },
      );
  }

  /**
   * Day-first detection (time/day-order.ts), when the load ends: values read in the order a later value
   * refuted are read again in the proven one; a field where no value proved the order gets one warning
   * naming the order assumed (only when a KPI reads the field, or the caller reads every field).
   */
  private settleDayOrders(columns: Map<string, Column>): void {
    for (const binding of this.bindings) {
      const order = binding.field.dayOrder;
      if (!order) continue;
      const { name, column } = binding.field.spec;
      const values = columns.get(name);
      if (values?.kind === 'num' && order.patchColumn(values.values) > 0 && binding === this.timeBinding) {
        this.minTime = Number.POSITIVE_INFINITY;
        this.maxTime = Number.NEGATIVE_INFINITY;
        for (const t of values.values) {
          if (t < this.minTime) this.minTime = t;
          if (t > this.maxTime) this.maxTime = t;
        }
      }
      const assumption = order.assumption();
      if (assumption && (!this.used || this.used.has(name)))
        this.addProblem(
          problem(
            'ambiguous-date',
            assumption,
            { file: this.file, column, source: this.source.name },
            'warning',
          ),
        );
    }
  }

  protected commit(line: number, record: number): void {
    for (const binding of this.bindings) {
      if (!binding.isStored) continue;
      const { builder, value } = binding;
      switch (builder.type) {
        case 'integer':
        case 'number':
        case 'datetime':
        case 'duration':
          builder.pushNumber(value === null ? Number.NaN : (value as number));
          break;
        case 'boolean':
          builder.pushBoolean(value === null ? BOOL_NULL : (value as number));
          break;
        case 'string':
        case 'enum':
          builder.pushString(value as string | null);
          break;
        case 'list':
          builder.pushList(value as string[] | null);
          break;
      }
    }
    if (this.timeBinding) {
      const t = this.timeBinding.value as number;
      if (t < this.minTime) this.minTime = t;
      if (t > this.maxTime) this.maxTime = t;
    }
    this.lines.push(line);
    this.records.push(record);
  }

  /** Rows accepted so far and still in the builders (not yet moved out by takeChunk). */
  get pendingRows(): number {
    return this.lines.length;
  }

  /** Rows accepted before the rows the builders hold now. */
  get firstPendingRow(): number {
    return this.rowsTaken;
  }

  /**
   * The rows accepted since the last call, as a table (rows numbered from 0); the builders start again
   * empty. For reading a file again in pieces (scanSource) without holding all of it.
   */
  takeChunk(): Table {
    const table = this.pendingTable();
    for (const b of this.bindings) if (b.isStored) b.builder = new ColumnBuilder(b.field.spec.type);
    this.lines = new IntBuilder();
    this.records = new IntBuilder();
    this.rowsTaken += table.length;
    return table;
  }

  private pendingTable(): Table {
    const columns = new Map(
      this.bindings.filter((b) => b.isStored).map((b) => [b.field.spec.name, b.builder.finish()]),
    );
    this.settleDayOrders(columns);
    const line = this.lines.finish();
    return {
      name: this.source.name,
      file: this.file,
      length: line.length,
      columns,
      line,
      record: this.records.finish(),
    };
  }

  finish(extra: Partial<SourceStats> & { sha256: string }): LoadedSource {
    const table = this.pendingTable();
    const accepted = this.rowsTaken + table.length;
    const hasTimes = this.timeBinding !== undefined && accepted > 0;
    const dayOrders: Record<string, DayOrder> = {};
    for (const b of this.bindings)
      if (b.field.dayOrder?.decided) dayOrders[b.field.spec.name] = b.field.dayOrder.decided;
    return {
      ...(Object.keys(dayOrders).length > 0 ? { dayOrders } : {}),
      name: this.source.name,
      asOf: null,
      modified: null,
      source: this.source,
      table,
      problems: this.problems,
      problemCount: this.problemCount,
      rejectedRows: this.rejectedRows,
      header: this.headerCells,
      emptyFields: this.emptyFields,
      unusedAbsentFields: this.unusedAbsentFields,
      stats: {
        source: this.source.name,
        file: this.file,
        format: this.source.format,
        bytes: 0,
        ...extra,
        rowsRead: this.rowsRead,
        accepted,
        rejected: this.rejected,
        duplicates: this.duplicates,
        warnings: this.warnings,
        dataWarnings: this.dataWarnings,
        ...(this.source.timeField ? { timeField: this.source.timeField } : {}),
        minTime: hasTimes ? this.minTime : null,
        maxTime: hasTimes ? this.maxTime : null,
      },
    };
  }
}
