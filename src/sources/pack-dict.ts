/**
 * Large string dictionaries (free-text columns) cross from a worker thread as one string plus offsets:
 * copying one long string is far cheaper than cloning a million small ones.
 */
export interface PackedDict {
  text: string;
  offsets: Int32Array;
}

/** Dictionaries smaller than this are cloned as they are. */
export const PACK_MIN_ENTRIES = 10_000;

export function packDict(dict: readonly string[]): PackedDict {
  const offsets = new Int32Array(dict.length + 1);
  let at = 0;
  for (let i = 0; i < dict.length; i++) {
    at += dict[i]!.length;
    offsets[i + 1] = at;
  }
  return { text: dict.join(''), offsets };
}

export function unpackDict({ text, offsets }: PackedDict): string[] {
  const dict = new Array<string>(offsets.length - 1);
  for (let i = 0; i < dict.length; i++) dict[i] = text.slice(offsets[i]!, offsets[i + 1]!);
  return dict;
}
