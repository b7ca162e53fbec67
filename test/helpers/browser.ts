import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import { chromium, type Browser } from 'playwright-core';
import { freePort } from './ports';

/** Where the browser tests look for Chromium: `CHROMIUM_PATH`, else Debian's package. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Screenshots and other browser-test artefacts (git-ignored). */
export const ARTIFACTS_DIR = join(process.cwd(), 'test-artifacts');

/** Flags for a quiet, sandbox-free headless Chromium that never talks to the network on its own. */
const ARGS = [
  '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-default-apps', '--disable-sync',
  '--no-first-run', '--disable-dev-shm-usage', '--disable-extensions', '--metrics-recording-only', '--mute-audio',
];

/** Launches headless Chromium, failing with the install command when the binary is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: the browser tests need it. Install it with \`apt-get install -y chromium\` ` +
      '(Debian/Ubuntu) or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS, timeout: 30_000 });
}

/** A Hono app served on a free loopback port. */
export interface ServedApp {
  url: string;
  close(): Promise<void>;
}

/** Serves `app` with @hono/node-server on 127.0.0.1 and a free port. */
export async function serveOnLoopback(app: Hono): Promise<ServedApp> {
  const port = await freePort();
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

/** The artefacts folder, created when missing; returns the path of `name` inside it. */
export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return join(ARTIFACTS_DIR, name);
}
