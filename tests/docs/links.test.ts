/**
 * The README and the guides link to each other and into sections (`catalogue.md#212-presets-...`);
 * a renamed heading or file breaks those links silently. This resolves every relative link and
 * anchor the way GitHub renders them.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const DOCS = [
  'README.md',
  'CHANGELOG.md',
  'docs/getting-started.md',
  'docs/ci-recipes.md',
  'docs/management-review.md',
  'docs/troubleshooting.md',
  'docs/catalogue.md',
];

const withoutCode = (markdown: string) => markdown.replace(/```[\s\S]*?```/g, '');

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

function anchors(file: string): Set<string> {
  const headings = withoutCode(readFileSync(file, 'utf8')).matchAll(/^#+ (.*)$/gm);
  return new Set([...headings].map((m) => slug(m[1]!)));
}

describe('links in the documentation', () => {
  it.each(DOCS)('%s: every relative link and anchor resolves', (doc) => {
    const file = path.join(REPO, doc);
    const broken: string[] = [];
    for (const m of withoutCode(readFileSync(file, 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)) {
      const link = m[1]!;
      if (/^[a-z]+:/.test(link)) continue;
      const [target = '', anchor] = link.split('#');
      const resolved = target === '' ? file : path.join(path.dirname(file), target);
      if (!existsSync(resolved)) broken.push(`${link}: no such file`);
      else if (anchor && resolved.endsWith('.md') && !anchors(resolved).has(anchor))
        broken.push(`${link}: no such heading`);
    }
    expect(broken).toEqual([]);
  });
});
