import { isPersonalKey, maskPersonalData, maskPersonalValue } from './privacy/mask-personal';

/**
 * A small structured logger: one line per record, `level message key=value …` on stderr. No personal data reaches
 * the output: e-mail addresses and phone numbers are masked wherever they appear (message, values, error texts), and
 * fields named like an address (`email`, `phone`, `chat`, `ip`, …) are masked whatever they hold.
 */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const ORDER = { debug: 10, info: 20, warn: 30, error: 40 } as const;

function fmt(key: string, v: unknown): string {
  if (isPersonalKey(key) && (typeof v === 'string' || typeof v === 'number')) return maskPersonalValue(key, String(v));
  return maskPersonalData(plain(v));
}

function plain(v: unknown): string {
  if (v instanceof Error) return JSON.stringify(v.message);
  if (typeof v === 'string') return /^[\w.:/@+-]+$/.test(v) ? v : JSON.stringify(v);
  // undefined, functions and symbols have no JSON: print them as they are rather than crash the caller.
  return JSON.stringify(v) ?? String(v);
}

/** A logger that prints records at or above `level`. */
export function createLogger(level: keyof typeof ORDER = 'info', write: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const make = (lvl: keyof typeof ORDER) => (msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < ORDER[level]) return;
    const extra = fields ? Object.entries(fields).map(([k, v]) => ` ${k}=${fmt(k, v)}`).join('') : '';
    write(`${new Date().toISOString()} ${lvl.padEnd(5)} ${maskPersonalData(String(msg))}${extra}`);
  };
  return { debug: make('debug'), info: make('info'), warn: make('warn'), error: make('error') };
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = createLogger('error', () => undefined);
