/**
 * The tool's version and name. The version is written here, not read from package.json at run time (no
 * module outside the intake, the app and the CLI reads files); tests/cli/version.test.ts fails when it
 * differs from package.json, --version, the reports or the CHANGELOG. The name is fixed because saved
 * reports are recognised by it (`tool.name`, src/report/model.ts).
 */
export const TOOL_NAME = 'isms-kpi';
export const TOOL_VERSION = '0.1.0';
