// The webhook receiver's script: what it accepts, and each mistake named by its path.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWebhookScript, WebhookScriptError } from '../../../src/webhook/script.js';

test('a whole script: tokens with users, errors and faults; rules; the default', () => {
  const script = parseWebhookScript(`
tokens:
  - token: t1
    user: {username: jane, uid: "42", groups: [dev], extra: {team: [a]}}
    audiences: [api]
  - token: t2
    error: revoked
    fault: {delayMs: 10, status: 500}
authorize:
  - {user: jane, verb: get, resource: pods, decision: allow, reason: ok}
default: deny
`);
  assert.deepEqual(script, {
    tokens: [
      { token: 't1', user: { username: 'jane', uid: '42', groups: ['dev'], extra: { team: ['a'] } }, audiences: ['api'] },
      { token: 't2', error: 'revoked', fault: { delayMs: 10, status: 500 } },
    ],
    authorize: [{ user: 'jane', verb: 'get', resource: 'pods', decision: 'allow', reason: 'ok' }],
    default: 'deny',
  });
});

test('an empty script answers nothing: no tokens, no rules, no opinion', () => {
  assert.deepEqual(parseWebhookScript(''), { tokens: [], authorize: [], default: 'noOpinion' });
});

const BAD: [string, string][] = [
  ['[1, 2]', 'script: must be a map with tokens, authorize and default'],
  ['token: x', 'script.token: unknown field (known: tokens, authorize, default)'],
  ['tokens: {a: 1}', 'tokens: must be a list'],
  ['tokens: [{user: {username: a}}]', 'tokens[0].token: is required'],
  ['tokens: [{token: t, user: {username: a}, error: e}]', 'tokens[0]: has both user and error: a token either authenticates or not'],
  ['tokens: [{token: t, user: {uid: "1"}}]', 'tokens[0].user.username: is required'],
  ['tokens: [{token: t, user: {username: a, groups: dev}}]', 'tokens[0].user.groups: must be a list of strings'],
  ['tokens: [{token: t, user: {username: a, extra: {k: v}}}]', 'tokens[0].user.extra.k: must be a list of strings'],
  ['tokens: [{token: t, fault: {delayMs: -1}}]', 'tokens[0].fault.delayMs: must be a whole number of milliseconds from 0 to 600000'],
  ['tokens: [{token: t, fault: {status: 99}}]', 'tokens[0].fault.status: must be an HTTP status from 100 to 599'],
  ['authorize: [{verb: get}]', 'authorize[0].decision: must be one of allow, deny, noOpinion'],
  ['authorize: [{decision: allow, group: dev}]', 'authorize[0].group: unknown field (known: user, userGroup, verb, apiGroup, resource, subresource, namespace, name, path, decision, reason, evaluationError, fault)'],
  ['default: maybe', 'default: must be one of allow, deny, noOpinion'],
  ['tokens: [', ''],
];
for (const [text, message] of BAD) {
  test(`refused: ${text}`, () => {
    assert.throws(() => parseWebhookScript(text), (err: unknown) => {
      assert.ok(err instanceof WebhookScriptError);
      if (message !== '') assert.equal(err.message, message);
      return true;
    });
  });
}
