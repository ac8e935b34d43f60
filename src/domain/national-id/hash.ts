import { nationalIdHash } from '../national-id-hash';
import type { NationalIdScheme } from './scheme';

/**
 * The digest stored for an id of a scheme. Other schemes hash "<scheme>:<id>", so equal text under
 * two schemes never gives one digest. Thai ids hash bare, as before schemes existed: customer_identities
 * already holds those digests, and a keyed Thai digest would stop every stored id from matching its
 * next import. Bare Thai ids are 13 digits and never contain ":", so they cannot meet a keyed one.
 */
export function schemeNationalIdHash(scheme: NationalIdScheme, id: string, key: string): string {
  return nationalIdHash(scheme === 'th' ? id : `${scheme}:${id}`, key);
}
