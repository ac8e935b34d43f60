/**
 * The customer a stored customer id names now: a merged customer keeps its row with `merged_into`
 * set (one hop: a merge repoints customers merged into its merged ones), and every lookup that
 * finds a customer by a phone, e-mail, national id, legacy id or CareOS id must land on the
 * survivor, never on the inactive row.
 */
export const ACTIVE_CUSTOMER = (customerIdSql: string): string =>
  `coalesce((SELECT m.merged_into FROM customers m WHERE m.id = ${customerIdSql}), ${customerIdSql})`;
