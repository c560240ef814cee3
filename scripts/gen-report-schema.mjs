// Writes docs/report.schema.json from the report's zod schema (src/report/model.ts). Run through
// `npm run docs:schema` (it builds first); tests/report/json-schema.test.ts fails when the committed file
// is out of date.
import { writeFileSync } from 'node:fs';
import { reportJsonSchemaText } from '../dist/report/json-schema.js';

const target = new URL('../docs/report.schema.json', import.meta.url);
writeFileSync(target, reportJsonSchemaText());
console.log('wrote docs/report.schema.json');
