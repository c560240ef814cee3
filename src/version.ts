/**
 * The tool's version, read once from package.json so --version and reports always agree, and its name:
 * fixed, because saved reports are recognised by it (`tool.name`, src/report/model.ts).
 */
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export const TOOL_NAME = 'isms-kpi';
export const TOOL_VERSION: string = pkg.version;
