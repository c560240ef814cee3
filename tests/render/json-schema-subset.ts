/**
 * A validator for the part of JSON Schema that docs/report.schema.json uses: type (one or a list), const,
 * enum, required, properties, additionalProperties: false, items, pattern and local $ref. Any other
 * keyword makes it throw, so the schema cannot quietly grow a rule this validator ignores.
 */
type Schema = Record<string, unknown>;

const KNOWN = new Set([
  '$schema',
  '$defs',
  'title',
  'description',
  'type',
  'const',
  'enum',
  'required',
  'properties',
  'additionalProperties',
  'items',
  'pattern',
  '$ref',
]);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

export function validate(root: Schema, value: unknown): string[] {
  const errors: string[] = [];
  const visit = (schema: Schema, v: unknown, at: string) => {
    for (const key of Object.keys(schema))
      if (!KNOWN.has(key))
        throw new Error(`schema keyword "${key}" at ${at} is not supported by the test validator`);
    if (typeof schema.$ref === 'string') {
      const match = /^#\/\$defs\/([^/]+)$/.exec(schema.$ref);
      const target = match ? (root.$defs as Record<string, Schema> | undefined)?.[match[1]!] : undefined;
      if (!target) throw new Error(`unresolvable $ref ${schema.$ref}`);
      visit(target, v, at);
    }
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
      const actual = typeOf(v);
      if (!types.includes(actual) && !(actual === 'integer' && types.includes('number'))) {
        errors.push(`${at}: expected ${types.join(' or ')}, got ${actual}`);
        return;
      }
    }
    if ('const' in schema && v !== schema.const)
      errors.push(`${at}: expected ${JSON.stringify(schema.const)}`);
    if (Array.isArray(schema.enum) && !schema.enum.includes(v as never))
      errors.push(`${at}: ${JSON.stringify(v)} is not one of ${JSON.stringify(schema.enum)}`);
    if (
      typeof schema.pattern === 'string' &&
      typeof v === 'string' &&
      !new RegExp(schema.pattern, 'u').test(v)
    )
      errors.push(`${at}: "${v}" does not match ${schema.pattern}`);
    if (typeOf(v) === 'object') {
      const object = v as Record<string, unknown>;
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      for (const key of (schema.required ?? []) as string[])
        if (!(key in object)) errors.push(`${at}: missing required "${key}"`);
      for (const [key, child] of Object.entries(object)) {
        if (properties[key]) visit(properties[key], child, `${at}.${key}`);
        else if (schema.additionalProperties === false) errors.push(`${at}: unexpected property "${key}"`);
      }
    }
    if (Array.isArray(v) && schema.items)
      for (const [i, item] of v.entries()) visit(schema.items as Schema, item, `${at}[${i}]`);
  };
  visit(root, value, '$');
  return errors;
}
