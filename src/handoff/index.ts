/**
 * Hand-off to people and systems outside the funnel: signed JSON posts to a URL (a CRM task "call this lead") and
 * notifications to the team by email or Telegram. Used by the coming `webhook()` / `notify()` steps.
 */
export { SIGNATURE_HEADER, SIGNATURE_TOLERANCE_SECONDS, signatureHeader, verifySignature, webhookSigningSecret, type SignatureCheck } from './signature';
export { DELIVERY_HEADER, postSignedJson, type SignedPost, type SignedPostResult } from './post-webhook';
export { createTeamNotifier, teamNotifierFromEnv, type TeamDelivery, type TeamNotification, type TeamNotifier, type TeamNotifierOptions } from './team-notify';
