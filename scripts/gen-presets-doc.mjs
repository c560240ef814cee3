// Writes docs/presets.md from the preset registry. Run through `npm run docs:presets` (it builds first);
// tests/presets/docs.test.ts fails when the committed page is out of date.
import { writeFileSync } from 'node:fs';
import { presetsMarkdown } from '../dist/render/presets-doc.js';
import { PRESETS } from '../dist/presets/index.js';

const target = new URL('../docs/presets.md', import.meta.url);
writeFileSync(target, presetsMarkdown(Object.values(PRESETS)));
console.log(`wrote docs/presets.md (${Object.keys(PRESETS).length} presets)`);
