/** Same inputs, same bytes: two separate runs over the bundled data give identical output in every format. */
import { describe, expect, it } from 'vitest';
import { buildEvidencePack } from '../../src/evidence/build-pack.js';
import { FORMATS, type Format, RENDERERS } from '../../src/render/index.js';
import type { Report } from '../../src/report/model.js';
import { runBundled } from './bundled.js';

const render = (format: Format, report: Report) => RENDERERS[format](report, { color: false });

describe('reproducible output', () => {
  it('two runs give identical bytes in every format and in the evidence pack', async () => {
    const outputs = async () => {
      const result = await runBundled({ trace: true, storeAllFields: true });
      const formats = Object.fromEntries(FORMATS.map((f) => [f, render(f, result.report)]));
      const pack = await buildEvidencePack({
        report: result.report,
        catalogue: result.catalogue,
        sources: result.sources,
        traces: result.evaluation.traces,
      });
      return { formats, pack };
    };
    const first = await outputs();
    const second = await outputs();
    for (const format of FORMATS) expect(second.formats[format], format).toBe(first.formats[format]);
    expect(second.pack).toEqual(first.pack);
    expect(first.pack.length).toBeGreaterThan(40);
  });

  it('records no time of the run unless asked, and then only in generatedAt', async () => {
    const plain = (await runBundled()).report;
    expect(plain.generatedAt).toBeUndefined();
    const stamped = (await runBundled({ timestamp: '2026-10-01T08:00:00.000Z' })).report;
    expect(stamped.generatedAt).toBe('2026-10-01T08:00:00.000Z');
    const json = render('json', stamped);
    expect(json.replace('  "generatedAt": "2026-10-01T08:00:00.000Z",\n', '')).toBe(render('json', plain));
  });

  it('tracing rows for the evidence pack does not change the report', async () => {
    const traced = (await runBundled({ trace: true })).report;
    const plain = (await runBundled()).report;
    expect(render('json', traced)).toBe(render('json', plain));
  });
});
