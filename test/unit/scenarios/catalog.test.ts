// The SCENARIOS table and docs/certificate-scenarios.md say the same: one section per scenario, in order, whose kubectl
// output line is the table's message (with the recorded times and the default SANs), and for the 401s a server log
// line of the table's reason. The e2e test checks the table against kubectl itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SERVING_SANS } from '../../../src/pki/index.js';
import { fillMessage, messagePattern, MISMATCHED_SERVER_NAME, SCENARIO_NAMES, SCENARIOS, scenarioInfo } from '../../../src/scenarios/index.js';
import { scenarioList } from '../../../src/cli/pki.js';

const DOC = readFileSync(fileURLToPath(new URL('../../../docs/certificate-scenarios.md', import.meta.url)), 'utf8');
const README = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');

/** The doc's `## NAME` sections by name. */
function sections(): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of DOC.split(/\n## /).slice(1)) {
    const [title, ...body] = part.split('\n');
    out.set(title!.trim(), body.join('\n'));
  }
  return out;
}

/** The facts the doc's examples are filled with: the default SANs (a PKI made without --tls-san); times stay patterns. */
const DOC_FACTS = { sans: DEFAULT_SERVING_SANS.filter((s) => /[a-z]/.test(s)).join(', '), host: MISMATCHED_SERVER_NAME };

test('the table lists every scenario once, in SCENARIO_NAMES order, each message on one line', () => {
  assert.deepEqual(SCENARIOS.map((s) => s.name), [...SCENARIO_NAMES]);
  for (const s of SCENARIOS) {
    for (const field of [s.summary, s.kubectl, s.serverReason ?? '']) assert.ok(!field.includes('\n'), s.name);
    assert.ok(s.reproduces.length > 0 && s.why.length > 0 && s.fix.length > 0, s.name);
  }
});

test('the doc has one section per scenario, in the table\'s order', () => {
  const scenarioSections = [...sections().keys()].filter((t) => (SCENARIO_NAMES as readonly string[]).includes(t));
  assert.deepEqual(scenarioSections, [...SCENARIO_NAMES]);
});

for (const name of SCENARIO_NAMES) {
  test(`docs/certificate-scenarios.md ${name}: kubectl prints the table's message`, () => {
    const body = sections().get(name)!;
    const lines = body.split('\n');
    const at = lines.findIndex((l) => l.startsWith(`$ kubectl --kubeconfig broken/${name}.kubeconfig get --raw /version`));
    assert.ok(at >= 0, `no kubectl command in the ${name} section`);
    assert.ok(body.includes(`$ kube-auth-mock pki scenario ${name} -o broken/`), 'the command that builds it');
    const info = scenarioInfo(name);
    assert.match(lines[at + 1]!, messagePattern(fillMessage(info.kubectl, DOC_FACTS)));
    for (const heading of ['**Reproduces.**', '**Why.**', '**Fix.**']) assert.ok(body.includes(heading), `${name}: ${heading}`);
    if (info.serverReason !== undefined) {
      const reason = messagePattern(info.serverReason);
      assert.ok(lines.some((l) => reason.test(l)), `${name}: no server log line matching ${reason}`);
    }
  });
}

test('the doc\'s summary table quotes each message', () => {
  for (const s of SCENARIOS) {
    const row = DOC.split('\n').find((l) => l.startsWith(`| ${s.name} |`));
    assert.ok(row, s.name);
    const quoted = /`([^`]+)`\s*\|$/.exec(row)![1]!;
    // The table abbreviates the varying parts with "...".
    const pattern = new RegExp(`^${quoted.split('...').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`);
    assert.match(fillMessage(s.kubectl, { ...DOC_FACTS, now: '2026-01-01T00:00:00Z', notAfter: '2025-12-31T00:00:00Z' }), pattern, s.name);
  }
});

test('pki scenario --list: one line per scenario, its summary', () => {
  const lines = scenarioList().trimEnd().split('\n');
  assert.equal(lines.length, SCENARIOS.length);
  SCENARIOS.forEach((s, i) => assert.match(lines[i]!, new RegExp(`^${s.name} +${s.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)));
});

test('the README points at the scenarios doc', () => {
  assert.match(README, /\(docs\/certificate-scenarios\.md\)/);
  assert.match(README, /pki scenario/);
});
