import { installTemporalLogging } from '../src/temporal/logging';
import { createLogger } from '../src/log';

// Keep the SDK's worker lifecycle chatter out of test output; warnings and errors still show.
installTemporalLogging(createLogger('warn'), 'warn');
