/**
 * Name-based UUIDs, version 5 (RFC 9562 section 5.5, formerly RFC 4122 section 4.3): the SHA-1 of the
 * namespace UUID's 16 bytes followed by the name's UTF-8 bytes, cut to 16 bytes, with the version (5)
 * and the variant (10xx) written into it. The same namespace and name always give the same UUID, which
 * is what makes a document that carries UUIDs (the OSCAL output) reproducible byte for byte.
 */
import { createHash } from 'node:crypto';

/** The RFC's predefined namespaces, for names that are domain names or URLs. */
export const UUID_NAMESPACE_DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
export const UUID_NAMESPACE_URL = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function uuidV5(name: string, namespace: string): string {
  if (!UUID.test(namespace)) throw new Error(`not a UUID: ${namespace}`);
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
