import type { Context } from 'hono';
import type { Db } from '../../db/database';
import type { FunnelRegistry } from '../../engine/registry';
import type { EngineDeps } from '../../engine/deps';
import type { ExperimentsLoader } from './experiments-data';
import type { PreviewRunner } from '../../simulate/preview';
import type { TestSendChannels } from '../api/test-sends';
import type { MessageCosts } from '../../money/money-figures';

/** What the dashboard reads and how it authenticates the owner. */
export interface DashboardDeps {
  db: Db;
  funnels: FunnelRegistry;
  adminPassword: string;
  secretKey: string;
  /** True when emails go to the dev outbox instead of SMTP (kept for callers that only know about email). */
  outboxMode?: boolean;
  /** Channels whose messages go to the dev outbox instead of a provider; every page then says so. Default: email when outboxMode. */
  outboxChannels?: string[];
  now?: () => number;
  /** Failed logins allowed per client within the window before 429 (default 5 per 15 minutes); a success resets. */
  loginLimit?: { max: number; windowMs: number };
  /** The key the login limit counts by (default: the socket's remote address; behind a proxy pass one that reads its header). */
  clientIp?: (c: Context) => string;
  /** The engine, for actions that end workflows (erasing a contact); without it the dashboard only reads. */
  engine?: EngineDeps;
  /** Split and holdout results for the funnel page (default: the analytics adapter in experiments-data.ts). */
  experiments?: ExperimentsLoader;
  /** Runs the built-in personas for the funnel's Preview (default: the simulator, loaded on first use, with default settings). */
  preview?: PreviewRunner;
  /** What an email and a Telegram message cost (minor units) in the money panel; default nothing. */
  messageCosts?: MessageCosts;
  /** The engine's channels: with them the per-touch table can send a test of each touch. */
  testSend?: TestSendChannels;
}

/** DashboardDeps with every default applied. */
export type ResolvedDeps = Required<Omit<DashboardDeps, 'outboxMode' | 'testSend' | 'engine'>> & { testSend: TestSendChannels | null } & Pick<DashboardDeps, 'engine'>;

/** The socket's remote address, or 'unknown' outside the Node server (e.g. `app.request()` in tests). */
export function socketAddress(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}
