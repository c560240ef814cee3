/** JSON Pointers (RFC 6901) as `json.records` uses them: `''` or `/` for the document, `/value`, `/a~1b`. */

/** The keys of a pointer, unescaped (`~1` is `/`, `~0` is `~`). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The value a pointer names inside a parsed document, or undefined when a step is missing. */
export function resolvePointer(document: unknown, pointer: string): unknown {
  let value = document;
  for (const key of pointerSegments(pointer)) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
