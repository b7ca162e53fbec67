/*
 * The raw one-activity worker: `node --import tsx scripts/bench/raw-worker.ts <address> <taskQueue>`. Its one activity
 * records how late it ran (ms after the moment it was due) in the workflow's result.
 */
import { resolve } from 'node:path';
import { NativeConnection, Worker } from '@temporalio/worker';

const [address = '127.0.0.1:7233', taskQueue = 'bench-raw'] = process.argv.slice(2);
const connection = await NativeConnection.connect({ address });
const worker = await Worker.create({
  connection, namespace: 'default', taskQueue,
  workflowsPath: resolve(import.meta.dirname, 'raw-workflows.ts'),
  activities: { touch: async (dueAt: number) => Date.now() - dueAt },
});
process.stdout.write('raw worker running\n');
const stop = () => worker.shutdown();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
await worker.run();
await connection.close();
