import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import example from '../../funnels/course-welcome';
import { validateFunnel } from '../../src/dsl/check';
import { loadFunnels } from '../../src/dsl/load';
import { touchesOf } from '../../src/dsl/plan';

const DSL = JSON.stringify(path.resolve('src/dsl/index.ts'));

/** A funnel file's source with the given id and first email subject. */
const funnelSource = (id: string, subject = 'Привет') => `import { defineFunnel, email, wait } from ${DSL};
export default defineFunnel({
  id: '${id}', name: '${id}', entry: 'lead.created', goal: { event: 'order.paid', within: '7d' },
  steps: [email('hi', { subject: '${subject}', text: 'Здравствуйте, {{ contact.firstName }}' }), wait('pause', '1d')],
});
`;

let dir: string;
const at = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'autofunnel-load-'));
  await writeFile(at('good.ts'), funnelSource('good'));
  await writeFile(at('throws.ts'), `throw new Error('database is not here');\nexport default 1;\n`);
  await writeFile(at('broken.ts'), `import { defineFunnel, wait } from ${DSL};
export default defineFunnel({ id: 'broken', name: 'Broken', goal: { event: 'order.paid', within: '7d' }, steps: [wait('pause', 'bogus')] });
`);
  await writeFile(at('syntax.ts'), `const x: number = ;\nexport default x;\n`);
  await writeFile(at('no-default.ts'), `export const funnel = 1;\n`);
  await writeFile(at('zz-same-id.ts'), funnelSource('good'));
  await writeFile(at('_shared.ts'), `throw new Error('helpers are not funnels');\n`);
  await writeFile(at('.hidden.ts'), `throw new Error('hidden files are not funnels');\n`);
  await writeFile(at('notes.md'), '# not a funnel\n');
  await mkdir(at('drafts'));
  await writeFile(at('drafts/draft.ts'), `throw new Error('subfolders are not scanned');\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('load', () => {
  it('keeps the good funnel and reports every other file without throwing', async () => {
    const { funnels, problems } = await loadFunnels(dir);
    expect(funnels.map((f) => [path.basename(f.file), f.plan.id])).toEqual([['good.ts', 'good']]);
    expect(funnels[0]?.version).toMatch(/^[0-9a-f]{12}$/);
    // A temp dir is outside the working directory, so files are reported by absolute path.
    expect(problems.map((p) => p.file)).toEqual([at('broken.ts'), at('no-default.ts'), at('syntax.ts'), at('throws.ts'), at('zz-same-id.ts')]);
    const [syntax] = problems.splice(2, 1);
    expect(syntax?.text).toMatch(/^\S+syntax\.ts: the file fails to load: .+ — fix that error \(run it with npx tsx \S+syntax\.ts to see where\)$/);
    expect(problems.map((p) => p.text)).toEqual([
      `${at('broken.ts')}: broken/pause: 'bogus' is not a duration — write it like '30m', '2h', '3d' or '1d12h'`,
      `${at('no-default.ts')}: there is no funnel here — end the file with export default defineFunnel({ … })`,
      `${at('throws.ts')}: the file fails to load: database is not here — fix that error (run it with npx tsx ${at('throws.ts')} to see where)`,
      `${at('zz-same-id.ts')}: good/id: funnel id 'good' is already used by ${at('good.ts')} — give each funnel its own id`,
    ]);
  });

  it('picks up an edited file on the next load', async () => {
    await writeFile(at('good.ts'), funnelSource('good', 'Новая тема'));
    await utimes(at('good.ts'), new Date(), new Date(Date.now() + 5_000));
    const { funnels } = await loadFunnels(dir);
    expect(funnels[0]?.plan.steps[0]).toMatchObject({ subject: 'Новая тема' });
  });

  it('reports a missing folder instead of throwing', async () => {
    const missing = at('nope');
    const { funnels, problems } = await loadFunnels(missing);
    expect(funnels).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.text).toMatch(new RegExp(`^${missing}: cannot read the funnels folder: ENOENT`));
  });

  it('passes the example funnel in funnels/ with zero problems, reported relative to the project', async () => {
    const { funnels, problems } = await loadFunnels('funnels');
    expect(problems.filter((p) => p.file === 'funnels/course-welcome.ts')).toEqual([]);
    const loaded = funnels.find((f) => f.plan.id === 'course-welcome');
    expect(loaded?.file).toBe('funnels/course-welcome.ts');
    expect(touchesOf(loaded!.plan.steps).map((t) => t.id)).toEqual(['welcome', 'lesson-1', 'lesson-2', 'reminder', 'offer', 'stories', 'deadline', 'last-call']);
  });

  it('validates the example funnel directly too', () => {
    const { plan, problems } = validateFunnel(example);
    expect(problems).toEqual([]);
    expect(plan?.goal).toEqual({ event: 'order.paid', withinMs: 30 * 86_400_000, exit: true });
    expect(plan?.entry).toBe('lead.created');
  });
});

describe('load: webinar ids are global', () => {
  const withWebinar = (id: string) => `import { defineFunnel, webinarInvite } from ${DSL};
export default defineFunnel({
  id: '${id}', name: '${id}', entry: 'lead.created', goal: { event: 'order.paid', within: '7d' },
  webinars: [{ id: 'masterclass', title: 'Эфир', schedule: { times: ['19:00'] }, joinUrl: 'https://meet.example.test/mc' }],
  steps: [webinarInvite('invite', { webinar: 'masterclass', via: 'email', subject: 'Эфир', text: '{{ webinar.date }}' })],
});
`;
  it('refuses the funnel that does not own the webinar, naming both files; the owner keeps it whatever the file order', async () => {
    const clash = await mkdtemp(path.join(tmpdir(), 'autofunnel-clash-'));
    await writeFile(path.join(clash, 'a-copy.ts'), withWebinar('copy'));
    await writeFile(path.join(clash, 'b-real.ts'), withWebinar('real'));
    const byName = await loadFunnels(clash);
    expect(byName.funnels.map((f) => f.plan.id)).toEqual(['copy']);
    expect(byName.problems).toEqual([{
      file: path.join(clash, 'b-real.ts'), funnelIds: ['real', 'copy'],
      text: `${path.join(clash, 'b-real.ts')}: real/webinars: webinar 'masterclass' is also declared by ${path.join(clash, 'a-copy.ts')} (funnel 'copy'); both funnels would share one webinar and its sessions — webinar ids are global: give this webinar its own id (e.g. 'real-masterclass'), or remove one of the files`,
    }]);
    const owned = await loadFunnels(clash, { webinarOwners: new Map([['masterclass', 'real']]) });
    expect(owned.funnels.map((f) => f.plan.id)).toEqual(['real']);
    expect(owned.problems.map((p) => p.funnelIds)).toEqual([['copy', 'real']]);
    await rm(clash, { recursive: true, force: true });
  });
});
