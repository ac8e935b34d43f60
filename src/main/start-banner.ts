export interface BannerFacts {
  api: string;
  /** Which PostgreSQL: given, system or embedded, and where. */
  database: string;
  /** Which Temporal: given, or the dev server started here. */
  temporal: string;
  /** The dev server's UI; undefined when Temporal is given (its UI is the cluster's). */
  temporalUi?: string;
  adminToken: string | null;
  codecEndpoint?: string;
}

/** What `npm start` prints once everything answers. */
export function startBanner(facts: BannerFacts): string {
  const { api, adminToken, codecEndpoint, temporalUi } = facts;
  const lines = [
    '',
    'ferry is up',
    `  api          ${api}  (health: ${api}/healthz)`,
    `  Temporal UI  ${temporalUi ?? "(your Temporal cluster's UI)"}`,
    adminToken
      ? `  admin token  ${adminToken}\n  try: curl -H "Authorization: Bearer ${adminToken}" ${api}/api/imports`
      : '  tokens       from AUTH_TOKENS',
    `  PostgreSQL   ${facts.database}`,
    `  Temporal     ${facts.temporal}`,
  ];
  if (codecEndpoint && temporalUi) {
    lines.push(
      `  payloads     encrypted; to read them in the Temporal UI, sign in at ${api}/ and, once per browser, open the`,
      `               UI's Codec Server settings: "Use my browser setting", endpoint ${codecEndpoint},`,
      '               "Include cross-origin credentials" on, Apply',
    );
  }
  lines.push('Ctrl-C stops everything.');
  return lines.join('\n');
}
