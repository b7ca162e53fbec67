import { installTemporalLogging } from '../src/temporal/logging';
import { createLogger } from '../src/log';

// Keep the SDK's chatter (and the expected warnings of retry tests) out of test output; errors still show.
installTemporalLogging(createLogger('error'), 'error', 'ERROR');
