export { createEmailOutbox as createOutboxChannel } from '../outbox';
