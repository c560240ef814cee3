/** Name-based UUIDs (version 5) against the well-known vector, and the properties the OSCAL output relies on. */
import { describe, expect, it } from 'vitest';
import { UUID_NAMESPACE_DNS, UUID_NAMESPACE_URL, uuidV5 } from '../../src/util/uuid-v5.js';

describe('uuidV5', () => {
  it('gives the known UUID of "www.example.com" in the DNS namespace', () => {
    expect(uuidV5('www.example.com', UUID_NAMESPACE_DNS)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('writes version 5 and the RFC variant, and depends on both the name and the namespace', () => {
    const names = ['', 'a', 'b', 'ü', 'x'.repeat(1000)];
    const ids = names.flatMap((n) => [uuidV5(n, UUID_NAMESPACE_DNS), uuidV5(n, UUID_NAMESPACE_URL)]);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(uuidV5('a', UUID_NAMESPACE_DNS)).toBe(uuidV5('a', UUID_NAMESPACE_DNS));
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidV5('a', 'not-a-uuid')).toThrow(/not a UUID/);
  });
});
