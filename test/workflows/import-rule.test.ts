import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { importsOf } from '../helpers/imports';

describe('workflows/ import rule', () => {
  const files = readdirSync('workflows').filter((f) => f.endsWith('.ts'));

  it('finds the workflow files', () => {
    expect(files).toContain('enrollment.ts');
  });

  it.each(files)('%s imports only @temporalio/workflow, other workflow files and types from src/', (file) => {
    const bad = importsOf(readFileSync(join('workflows', file), 'utf8')).filter(({ from, typeOnly }) => {
      if (from === '@temporalio/workflow') return false;
      if (from.startsWith('./')) return false;
      if (from.startsWith('../src/') && typeOnly) return false;
      return true;
    });
    expect(bad).toEqual([]);
  });

  it('would catch a forbidden import', () => {
    const sample = "import { readFileSync } from 'node:fs';\nimport type { Plan } from '../src/dsl/plan';\nimport { Kysely } from 'kysely';";
    expect(importsOf(sample).filter((i) => !i.typeOnly).map((i) => i.from)).toEqual(['node:fs', 'kysely']);
  });
});
