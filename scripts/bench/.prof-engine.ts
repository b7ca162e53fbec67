import { BenchStack } from './stack';
import { population } from './population';
import { postLoad } from './load';
const stack = new BenchStack();
try {
  await stack.temporalAddress();
  const engine = await stack.engine();
  const pop = await population(engine, 200);
  const which = process.env.WHICH === 'enrolled' ? pop.enrolled : pop.plain;
  const res = await postLoad({ base: engine.base, path: '/api/events', connections: 16, seconds: Number(process.env.SECS ?? 6), body: (i) => JSON.stringify({ contactId: which[i % which.length], name: 'site.visited', properties: { page: 'pricing', n: i }, idempotencyKey: `p-${i}` }) });
  console.log(res);
} finally {
  await stack.close();
}
