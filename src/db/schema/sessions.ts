import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * When each token name last signed out of the codec session: every session cookie issued to that
 * name before this moment is void at once, on every api replica (the cookie itself is stateless).
 */
export const codecSignOuts = pgTable('codec_sign_outs', {
  actor: text('actor').primaryKey(),
  signedOutAt: timestamp('signed_out_at', { withTimezone: true }).notNull(),
});
