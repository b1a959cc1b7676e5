// The Pact Broker clients' contracts use placeholder paths where the client follows a HAL link
// (the index answers with a placeholder href, the next request goes there), and the Rust-recorded
// file sorts the matrix query so `q[]` entries lose their pairing. The Pact Broker verifies these
// contracts through the same kind of mapping; these tables say what each placeholder stands for.

export const PATHS: Record<string, string> = {
  '/HAL-REL-PLACEHOLDER-INDEX-PB-LATEST-TAGGED-VERSION-Condor-production':
    '/pacticipants/Condor/latest-version/production',
  '/HAL-REL-PLACEHOLDER-INDEX-PB-LATEST-VERSION-Condor': '/pacticipants/Condor/latest-version',
  '/HAL-REL-PLACEHOLDER-PB-WEBHOOKS': '/webhooks',
  '/HAL-REL-PLACEHOLDER-PB-ENVIRONMENTS': '/environments',
  '/HAL-REL-PLACEHOLDER-PB-PACTICIPANT-VERSION-Foo-5556b8149bf8bac76bc30f50a8a2dd4c22c85f30':
    '/pacticipants/Foo/versions/5556b8149bf8bac76bc30f50a8a2dd4c22c85f30',
  '/HAL-REL-PLACEHOLDER-PB-RECORD-DEPLOYMENT-FOO-5556B8149BF8BAC76BC30F50A8A2DD4C22C85F30-TEST':
    '/pacticipants/Foo/versions/5556b8149bf8bac76bc30f50a8a2dd4c22c85f30/deployed-versions/environment/cb632df3-0a0d-4227-aac3-60114dd36479',
  '/HAL-REL-PLACEHOLDER-PB-RECORD-RELEASE-FOO-5556B8149BF8BAC76BC30F50A8A2DD4C22C85F30-TEST':
    '/pacticipants/Foo/versions/5556b8149bf8bac76bc30f50a8a2dd4c22c85f30/released-versions/environment/cb632df3-0a0d-4227-aac3-60114dd36479',
  '/HAL-REL-PLACEHOLDER-PB-PUBLISH-CONTRACTS': '/contracts/publish',
  '/PLACEHOLDER-DEPLOYED-VERSION-ff3adecf-cfc5-4653-a4e3-f1861092f8e0':
    '/deployed-versions/ff3adecf-cfc5-4653-a4e3-f1861092f8e0',
  '/PLACEHOLDER-ENVIRONMENT-CURRENTLY-DEPLOYED-16926ef3-590f-4e3f-838e-719717aa88c9':
    '/environments/16926ef3-590f-4e3f-838e-719717aa88c9/deployed-versions/currently-deployed',
  '/HAL-REL-PLACEHOLDER-PB-ENVIRONMENT-16926ef3-590f-4e3f-838e-719717aa88c9':
    '/environments/16926ef3-590f-4e3f-838e-719717aa88c9',
  '/HAL-REL-PLACEHOLDER-PB-PACTICIPANT-BRANCH-Foo-main': '/pacticipants/Foo/branches/main',
};

const q = (...pairs: [string, string][]) =>
  pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
const P = 'q[][pacticipant]';
const V = 'q[][version]';

/**
 * A matrix query whose pairs were regrouped (the Rust recorder sorts them; a pact's query map keeps
 * one list per key) → the query in the order the client really sends it. Keys are the sorted,
 * decoded pairs ({@link decodedQuery}).
 */
const ORDERED: Record<string, string> = {
  'latestby=cvpv&q[][pacticipant]=Foo Thing&q[][pacticipant]=Bar&q[][version]=1.2.3&q[][version]=4.5.6': q(
    [P, 'Foo Thing'],
    [V, '1.2.3'],
    [P, 'Bar'],
    [V, '4.5.6'],
    ['latestby', 'cvpv'],
  ),
  'latestby=cvpv&q[][pacticipant]=Foo&q[][pacticipant]=Bar&q[][version]=1.2.3&q[][version]=4.5.6': q(
    [P, 'Foo'],
    [V, '1.2.3'],
    [P, 'Bar'],
    [V, '4.5.6'],
    ['latestby', 'cvpv'],
  ),
  'latestby=cvpv&q[][latest]=true&q[][pacticipant]=Foo&q[][pacticipant]=Bar&q[][tag]=prod&q[][version]=1.2.3': q(
    [P, 'Foo'],
    [V, '1.2.3'],
    [P, 'Bar'],
    ['q[][latest]', 'true'],
    ['q[][tag]', 'prod'],
    ['latestby', 'cvpv'],
  ),
  'latestby=cvpv&q[][latest]=true&q[][pacticipant]=Foo&q[][pacticipant]=Bar&q[][version]=1.2.4': q(
    [P, 'Foo'],
    [V, '1.2.4'],
    [P, 'Bar'],
    ['q[][latest]', 'true'],
    ['latestby', 'cvpv'],
  ),
  'latestby=cvpv&q[][pacticipant]=Wiffle&q[][pacticipant]=Meep&q[][version]=1.2.3&q[][version]=9.9.9': q(
    [P, 'Wiffle'],
    [V, '1.2.3'],
    [P, 'Meep'],
    [V, '9.9.9'],
    ['latestby', 'cvpv'],
  ),
  'latestby=cvpv&q[][pacticipant]=Foo&q[][pacticipant]=Bar&q[][version]=1.2.3&q[][version]=9.9.9': q(
    [P, 'Foo'],
    [V, '1.2.3'],
    [P, 'Bar'],
    [V, '9.9.9'],
    ['latestby', 'cvpv'],
  ),
  'ignore[][pacticipant]=Foo&ignore[][version]=3.4.5&latestby=cvpv&q[][pacticipant]=Bar&q[][pacticipant]=Foo&q[][tag]=prod&q[][version]=4.5.6':
    q(
      [P, 'Bar'],
      [V, '4.5.6'],
      [P, 'Foo'],
      ['q[][tag]', 'prod'],
      ['latestby', 'cvpv'],
      ['ignore[][pacticipant]', 'Foo'],
      ['ignore[][version]', '3.4.5'],
    ),
};

/** The decoded pairs of a query string, sorted and joined: the key of {@link MATRIX_QUERIES}. */
export function decodedQuery(query: string): string {
  return [...new URLSearchParams(query)]
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join('&');
}

export const MATRIX_QUERIES: Record<string, string> = Object.fromEntries(
  Object.values(ORDERED).map((ordered) => [decodedQuery(ordered), ordered]),
);
// The Rust-recorded file writes the space in "Foo Thing" as `+`, which a replay may send as a literal plus.
const fooThing = Object.values(ORDERED)[0]!;
MATRIX_QUERIES[decodedQuery(fooThing.replace('Foo%20Thing', 'Foo%2BThing'))] = fooThing;
