import { runEngine } from './run';

await runEngine('all');
