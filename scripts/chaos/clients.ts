/*
 * The chaos run's API clients behave like real integrations: a 5xx or a dropped connection (the server was killed)
 * is retried with the same request — the same idempotency key for events — until it is answered.
 */

/** A contact of the run: one address per channel, all consented. */
export interface ChaosContact {
  externalId: string;
  email: string;
  phone: string;
  telegramChatId: string;
}

/** The i-th contact (stable across runs). */
export function chaosContact(i: number): ChaosContact {
  return {
    externalId: `c${i}`, email: `c${i}@chaos.example`, phone: `+7916${String(1_000_000 + i).slice(-7)}`, telegramChatId: String(700_000 + i),
  };
}

/** What a client saw while retrying. */
export interface ClientStats {
  /** Requests answered 5xx or not answered at all, retried. */
  retried: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends until the API answers something other than 5xx; throws after `giveUpMs` or on a 4xx. */
async function untilAnswered(stats: ClientStats, url: string, token: string, body: unknown, giveUpMs = 180_000): Promise<{ status: number; body: any }> {
  const deadline = Date.now() + giveUpMs;
  for (;;) {
    try {
      const res = await fetch(url, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      const json = await res.json().catch(() => null);
      if (res.status < 500) {
        if (res.status >= 400) throw new Error(`${url} answered ${res.status}: ${JSON.stringify(json)}`);
        return { status: res.status, body: json };
      }
    } catch (err) {
      if ((err as Error).message.includes(' answered ')) throw err;
    }
    stats.retried += 1;
    if (Date.now() > deadline) throw new Error(`${url}: no answer for ${giveUpMs} ms`);
    await sleep(300);
  }
}

/** Enrolls every contact through `POST /api/funnels/:id/enrollments` with `concurrency` requests in flight; calls `onEnrolled` as each one lands. */
export async function enrollAll(base: string, token: string, funnelId: string, contacts: ChaosContact[], concurrency: number, onEnrolled: (c: ChaosContact) => void): Promise<ClientStats> {
  const stats: ClientStats = { retried: 0 };
  let next = 0;
  const lane = async () => {
    while (next < contacts.length) {
      const c = contacts[next++]!;
      await untilAnswered(stats, `${base}/api/funnels/${funnelId}/enrollments`, token, {
        contact: { ...c, consent: { email: true, sms: true, telegram: true } },
      });
      onEnrolled(c);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return stats;
}

/** Events posted during the run: every accepted one with its stored id. */
export interface EventLedger extends ClientStats {
  posted: number;
  accepted: Array<{ key: string; id: string; duplicate: boolean }>;
}

/**
 * Posts `perSecond` events (`c-email.clicked` and `chaos.ping`, alternately) for contacts already enrolled, each with
 * its own idempotency key, until `signal` aborts; a failed post is retried with the same key by its own lane.
 */
export function postEvents(base: string, token: string, runId: string, perSecond: number, enrolled: () => ChaosContact[], signal: AbortSignal): { ledger: EventLedger; done: Promise<void> } {
  const ledger: EventLedger = { posted: 0, accepted: [], retried: 0 };
  const inFlight = new Set<Promise<void>>();
  const done = (async () => {
    let n = 0;
    while (!signal.aborted) {
      const pool = enrolled();
      if (pool.length > 0) {
        const c = pool[n % pool.length]!;
        const key = `chaos-${runId}-${n}`;
        const name = n % 2 === 0 ? 'c-email.clicked' : 'chaos.ping';
        n += 1;
        ledger.posted += 1;
        const p = untilAnswered(ledger, `${base}/api/events`, token, { externalId: c.externalId, name, idempotencyKey: key, properties: { n } })
          .then((r) => { ledger.accepted.push({ key, id: r.body.id, duplicate: r.body.duplicate }); })
          .catch(() => undefined)
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      await sleep(1000 / perSecond);
    }
    await Promise.all([...inFlight]);
  })();
  return { ledger, done };
}
