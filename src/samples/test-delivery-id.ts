/**
 * The delivery id a test message travels under (`test:<funnelId>:<touchId>:<random>`): it names no ledger row, so no
 * receipt, click or reply can count; the dev outbox keeps it and the outbox page reads the funnel and touch back.
 */
export function testDeliveryId(funnelId: string, touchId: string, random: string): string {
  return `test:${funnelId}:${touchId}:${random}`;
}

/** The funnel and touch of a test delivery id, or null for a ledger row's id. */
export function parseTestDeliveryId(id: string): { funnelId: string; touchId: string } | null {
  const m = /^test:([^:]+):([^:]+):[^:]+$/.exec(id);
  return m ? { funnelId: m[1]!, touchId: m[2]! } : null;
}
