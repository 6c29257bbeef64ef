/**
 * A team's own scenario file, as a user writes one for `--scenarios DIR`: a revoked key is
 * refused on the routes that write, too. `cites` lines after the default are added as given
 * (`luxcore: "..."`).
 */
export function teamScenario(id = 'team-revoked-on-writes', cites: string[] = []): string {
  return `scenarios:
  - id: ${id}
    title: A revoked key is refused on every write route too
    family: revoked-key
    severity: MUST
    cites:
      default: "Team guide: a revoked key fails on every route, writes included."
${cites.map((c) => `      ${c}\n`).join('')}    requires: [api-key, revoked-key]
    routes: { auth: api_key, withBody: true }
    fault:
      - useKey: revoked
    expect: { denial: revoked_credential, credential: api_key }
`;
}
