import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import type { Plan } from '../dsl/plan';
import { closest } from '../dsl/closest';
import { SimulationInputError } from '../errors';
import { parsePersonas, type SimPersona } from './personas';
import { resolvePersonas } from './resolve-personas';

type Path = Array<string | number>;

const FIELDS: Record<string, string[]> = {
  persona: ['name', 'contact', 'variants', 'does'],
  action: ['after', 'wait', 'at', 'event', 'properties', 'value'],
  contact: ['externalId', 'email', 'phone', 'telegramChatId', 'name', 'timezone', 'locale', 'attributes', 'consent'],
  consent: ['email', 'sms', 'telegram'],
};

/** Which kind of object a path inside a personas file points at. */
function kindAt(p: Path): string | undefined {
  if (p.length === 1) return 'persona';
  if (p.length === 3 && p[1] === 'does') return 'action';
  if (p.length === 2 && p[1] === 'contact') return 'contact';
  if (p.length === 3 && p[1] === 'contact' && p[2] === 'consent') return 'consent';
  return undefined;
}

/** `does[0].after` for a path after the persona index. */
function pathText(p: Path): string {
  return p.slice(1).map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : i === 0 ? seg : `.${seg}`)).join('');
}

/** Finds the line of a path in the YAML/JSON source: the key itself when `key` is given, else the value, else the nearest parent. */
function lineOf(doc: Document | undefined, counter: LineCounter, p: Path, key?: string): number | undefined {
  if (!doc) return undefined;
  if (key !== undefined) {
    const map = doc.getIn(p, true);
    if (isMap(map)) {
      const pair = map.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
      const range = (pair?.key as { range?: [number, number, number] } | null)?.range;
      if (range) return counter.linePos(range[0]).line;
    }
  }
  for (let n = p.length; n >= 0; n--) {
    const node = doc.getIn(p.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

async function readSource(file: string): Promise<{ data: unknown; doc?: Document; counter: LineCounter }> {
  const counter = new LineCounter();
  if (/\.(ts|mts|js|mjs)$/.test(file)) {
    try {
      const mod = (await import(pathToFileURL(path.resolve(file)).href)) as { default?: unknown };
      return { data: mod.default, counter };
    } catch (err) {
      throw new SimulationInputError(`${file}: the personas file fails to load: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new SimulationInputError(`${file}: cannot read the personas file: ${(err as Error).message}`);
  }
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new SimulationInputError(`${file}: the personas file is not valid YAML/JSON`, doc.errors.map((e) => `${file}:${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0]}`));
  }
  return { data: doc.toJS(), doc, counter };
}

/**
 * Reads a personas file (YAML, JSON, or a module default-exporting the same list) and checks it against the funnel.
 * Throws SimulationInputError listing every problem as `<file>:<line>: persona '<name>' <field>: <what is wrong>`.
 */
export async function readPersonasFile(file: string, plan: Plan): Promise<SimPersona[]> {
  const { data, doc, counter } = await readSource(file);
  const nameOf = (p: Path) => {
    const persona = Array.isArray(data) && typeof p[0] === 'number' ? (data[p[0]] as { name?: unknown } | undefined) : undefined;
    return typeof persona?.name === 'string' ? `persona '${persona.name}'` : `persona ${typeof p[0] === 'number' ? p[0] + 1 : ''}`.trim();
  };
  const say = (p: Path, message: string, key?: string) => {
    const line = lineOf(doc, counter, p, key);
    const field = pathText(key === undefined ? p : [...p, key]);
    const who = p.length === 0 ? 'the file' : `${nameOf(p)}${field ? `, ${field}` : ''}`;
    return { line: line ?? 0, text: `${file}${line === undefined ? '' : `:${line}`}: ${who}: ${message}` };
  };
  const parsed = parsePersonas(data);
  const lines = parsed.issues.flatMap(({ path: p, issue }) => {
    if (issue.code === 'unrecognized_keys') {
      const known = FIELDS[kindAt(p) ?? ''] ?? [];
      return issue.keys.map((k) => {
        const near = closest(k, known);
        return say(p, `unknown field '${k}'${near ? ` — did you mean '${near}'?` : known.length ? ` — known fields: ${known.join(', ')}` : ''}`, k);
      });
    }
    if (p.length === 2 && p[1] === 'contact' && issue.code === 'invalid_type') return [say(p, 'a persona needs a contact, as POST /api/contacts takes it: { email: …, timezone: …, consent: { email: true } }')];
    return [say(p, issue.message)];
  });
  const { personas, problems } = resolvePersonas(plan, parsed.personas, (p) => {
    const line = lineOf(doc, counter, p);
    return line === undefined ? file : `${file}:${line}`;
  });
  for (const pr of problems) {
    const last = pr.path[pr.path.length - 1];
    lines.push(pr.path[1] === 'variants' && typeof last === 'string' ? say(pr.path.slice(0, -1), pr.message, last) : say(pr.path, pr.message));
  }
  if (lines.length > 0) {
    lines.sort((a, b) => a.line - b.line);
    throw new SimulationInputError(`${file}: ${lines.length} problem(s) in the personas file`, lines.map((l) => l.text));
  }
  return personas;
}
