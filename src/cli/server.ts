import { runEngine } from './run';

await runEngine('server');
