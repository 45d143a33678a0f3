// Which requests get pretty-printed JSON: kube's rule, k8s.io/apiserver@v0.34.4
// pkg/endpoints/handlers/negotiation/negotiate.go isPrettyPrint (lines 100-120) and acceptMediaTypeOptions
// (line 227, `case "pretty": options.Pretty = v == "1"`), as src/api/pretty.ts implements it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acceptAsksPretty, isPrettyPrint, wantsPretty } from '../../../src/api/pretty.js';

const KUBECTL = 'kubectl/v1.34.4 (linux/amd64) kubernetes/abcdef0';
const cases: { name: string; userAgent?: string; query?: string; accept?: string; pretty: boolean }[] = [
  // strings.HasPrefix(userAgent, "curl") || "Wget" || "Mozilla/5.0"
  { name: 'curl', userAgent: 'curl/8.5.0', pretty: true },
  { name: 'Wget', userAgent: 'Wget/1.21.4', pretty: true },
  { name: 'a browser', userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', pretty: true },
  { name: 'prefixes are case-sensitive', userAgent: 'wget/1.21.4', pretty: false },
  { name: 'Mozilla/4.0 is not a match', userAgent: 'Mozilla/4.0 (compatible)', pretty: false },
  { name: 'curl elsewhere than the start', userAgent: 'my-tool curl/8', pretty: false },
  { name: 'kubectl', userAgent: KUBECTL, pretty: false },
  { name: 'client-go', userAgent: 'main/v0.0.0 (linux/amd64) kubernetes/$Format', pretty: false },
  { name: 'client-node', userAgent: 'kubernetes-client-node', pretty: false },
  { name: 'no User-Agent', pretty: false },
  // A non-empty pretty query value decides alone, through strconv.ParseBool.
  { name: '?pretty=true', userAgent: KUBECTL, query: 'pretty=true', pretty: true },
  { name: '?pretty=1', userAgent: KUBECTL, query: 'pretty=1', pretty: true },
  { name: '?pretty=T', query: 'pretty=T', pretty: true },
  { name: '?pretty=false for curl', userAgent: 'curl/8.5.0', query: 'pretty=false', pretty: false },
  { name: '?pretty=0 for a browser', userAgent: 'Mozilla/5.0', query: 'pretty=0', pretty: false },
  { name: "?pretty=yes is ParseBool's error: false, even for curl", userAgent: 'curl/8.5.0', query: 'pretty=yes', pretty: false },
  { name: 'the first pretty value counts (Query().Get)', query: 'pretty=true&pretty=false', pretty: true },
  { name: '?pretty with no value falls through to the User-Agent', userAgent: 'curl/8.5.0', query: 'pretty', pretty: true },
  { name: '?pretty= with no value, kubectl', userAgent: KUBECTL, query: 'pretty=', pretty: false },
  { name: 'another parameter mentioning pretty', userAgent: KUBECTL, query: 'labelSelector=pretty%3Dtrue', pretty: false },
  // Accept: application/json;pretty=1 (only "1": acceptMediaTypeOptions compares the string).
  { name: 'Accept pretty=1', userAgent: KUBECTL, accept: 'application/json;pretty=1', pretty: true },
  { name: 'Accept pretty=true is not "1"', userAgent: KUBECTL, accept: 'application/json;pretty=true', pretty: false },
  { name: 'Accept pretty=1 on a clause not chosen', userAgent: KUBECTL, accept: 'application/json;q=0.9;pretty=1, application/json', pretty: false },
  { name: 'Accept pretty=1 with YAML: YAML has no PrettySerializer', userAgent: KUBECTL, accept: 'application/yaml;pretty=1', pretty: false },
  { name: 'Accept pretty=1 on */*', accept: '*/*;pretty=1', pretty: true },
];

for (const c of cases) {
  test(`pretty: ${c.name}`, () => {
    const req = { querystring: c.query ?? '', userAgent: c.userAgent, accept: c.accept };
    assert.equal(wantsPretty(req), c.pretty);
    if (c.accept === undefined) assert.equal(isPrettyPrint(req), c.pretty);
    else assert.equal(acceptAsksPretty(c.accept), c.pretty);
  });
}
