import type { Figure } from './types';

/** A section's outcome as the report shows it. */
export interface SectionResult {
  id: string;
  title: string;
  figures: Figure[];
  notes?: string[] | undefined;
  pending?: string | undefined;
  error?: string | undefined;
}

/** PASS, FAIL, or '' for a figure without a target (or not measured). */
export function verdict(f: Figure): 'PASS' | 'FAIL' | '' {
  const t = f.target;
  if (!t) return '';
  if (t.ratio !== undefined) {
    if (f.ratio === null || f.ratio === undefined || !Number.isFinite(f.ratio)) return 'FAIL';
    return (f.lowerIsBetter ? f.ratio <= t.ratio : f.ratio >= t.ratio) ? 'PASS' : 'FAIL';
  }
  if (f.engine === null || !Number.isFinite(f.engine)) return 'FAIL';
  if (t.max !== undefined && f.engine > t.max) return 'FAIL';
  if (t.min !== undefined && f.engine < t.min) return 'FAIL';
  return 'PASS';
}

function num(v: number | null | undefined, unit: string): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (unit === 's') return `${v.toFixed(1)} s`;
  if (unit === 'ms') return `${Math.round(v).toLocaleString('en-US')} ms`;
  if (unit === '/s') return `${Math.round(v).toLocaleString('en-US')}/s`;
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

/** The table: one line per figure, with its baseline, the ratio, the target and the verdict. */
export function formatTable(results: SectionResult[]): string {
  const head = ['figure', 'engine', 'raw baseline (same run)', 'baseline', 'ratio', 'target', 'verdict'];
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const s of results) {
    rows.push([`[${s.id}] ${s.title}`, '', '', '', '', '', '']);
    if (s.pending) rows.push([`  ${s.pending}`, '', '', '', '', '', 'pending']);
    if (s.error) rows.push([`  error: ${s.error.split('\n')[0]}`, '', '', '', '', '', 'ERROR']);
    for (const f of s.figures) {
      rows.push([`  ${f.name}`, num(f.engine, f.unit), f.baselineName ?? '', num(f.baseline, f.unit), f.ratio === null || f.ratio === undefined ? '' : `${f.ratio.toFixed(2)}×`,
        f.target?.text ?? '', verdict(f)]);
      if (f.note) notes.push(`  ${f.name}: ${f.note}`);
    }
    for (const n of s.notes ?? []) notes.push(`  ${n}`);
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.filter((r) => r[1] !== '' || i === 0).map((r) => r[i]!.length)));
  const line = (r: string[]) => (r.slice(1).every((c) => c === '') ? r[0]! : r.map((c, i) => (i === 0 || i === 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  return [line(head), ...rows.map(line), ...(notes.length ? ['', 'notes:', ...notes] : [])].join('\n');
}
