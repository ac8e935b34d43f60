import type { Queryable } from '../../db/queryable';
import * as profiles from '../../db/queries/profiles';
import type { Phone } from '../../domain/phone';

/** A record's contact details, as every profile-like source validates them. */
export interface ContactDetails {
  phones: Phone[];
  emails: string[];
}

/** The phones and emails records give their customers, but for those a customer already has. */
export async function addPhonesAndEmails(
  db: Queryable,
  importId: number,
  applied: { customerId: number; record: ContactDetails }[],
): Promise<void> {
  await profiles.addPhones(
    db,
    importId,
    applied.flatMap(({ customerId, record }) =>
      record.phones.map((p) => ({ customerId, phone: p.e164, extension: p.extension })),
    ),
  );
  await profiles.addEmails(
    db,
    importId,
    applied.flatMap(({ customerId, record }) => record.emails.map((email) => ({ customerId, email }))),
  );
}
