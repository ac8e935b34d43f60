/** A customer that exists in the database, or the k-th customer this batch creates. */
export type CustomerRef = { existing: number } | { created: number };
