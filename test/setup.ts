import { afterAll } from 'vitest';
import { installTemporalLogging } from '../src/temporal/logging';
import { createLogger } from '../src/log';
import { dropLeftoverDatabases } from './helpers/test-db';

// Keep the SDK's chatter (and the expected warnings of retry tests) out of test output; errors still show.
installTemporalLogging(createLogger('error'), 'error', 'ERROR');

// Fresh PostgreSQL databases a file left open are dropped when it ends (no-op on SQLite).
afterAll(dropLeftoverDatabases);
