import { runEngine } from './run';

await runEngine('worker');
