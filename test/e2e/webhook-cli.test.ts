// `kube-auth-mock webhook serve`, run as a user runs it: the script checked, the kubeconfigs written, reviews
// answered over HTTPS with the CA the kubeconfig names, each review printed as a JSON line.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { tempDir } from '../helpers/clients.js';
import { cli, startReady, type ReadyProcess } from '../helpers/cli.js';

interface WebhookReady {
  ready: true;
  url: string;
  authenticationKubeconfig: string;
  authorizationKubeconfig: string;
}

let tmp: Awaited<ReturnType<typeof tempDir>>;
let hook: ReadyProcess<WebhookReady>;

before(async () => {
  tmp = await tempDir('kam-webhook-cli-');
  const script = await tmp.write('hook.yaml', 'tokens:\n  - token: from-the-webhook\n    user: {username: jane, groups: [dev]}\nauthorize:\n  - {user: jane, verb: get, resource: pods, decision: allow}\n');
  hook = await startReady<WebhookReady>('webhook', 'serve', '--script', script, '--out-dir', tmp.dir);
});
after(async () => {
  await hook?.stop();
  await tmp?.remove();
});

/** The next stdout line that satisfies the predicate (an event, not a sleep). */
function nextLine(predicate: (line: string) => boolean): Promise<string> {
  const found = hook.stdoutLines().find(predicate);
  if (found !== undefined) return Promise.resolve(found);
  return new Promise((resolve) => {
    const onData = (): void => {
      const line = hook.stdoutLines().find(predicate);
      if (line === undefined) return;
      hook.child.stdout!.off('data', onData);
      resolve(line);
    };
    hook.child.stdout!.on('data', onData);
  });
}

async function postReview(kubeconfigFile: string, review: object): Promise<Record<string, unknown>> {
  const kc = parse(await readFile(kubeconfigFile, 'utf8')) as { clusters: { cluster: { server: string; 'certificate-authority-data': string } }[] };
  const { server, 'certificate-authority-data': ca } = kc.clusters[0]!.cluster;
  return new Promise((resolve, reject) => {
    const req = request(server, { method: 'POST', ca: Buffer.from(ca, 'base64').toString(), headers: { 'Content-Type': 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(JSON.parse(body) as Record<string, unknown>));
    });
    req.on('error', reject);
    req.end(JSON.stringify(review));
  });
}

test('the ready line names the kubeconfigs it wrote; a TokenReview through the authentication one is answered and printed', async () => {
  assert.equal(hook.ready.authenticationKubeconfig, join(tmp.dir, 'authn-webhook.kubeconfig'));
  const answer = await postReview(hook.ready.authenticationKubeconfig, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 'from-the-webhook' } });
  assert.deepEqual(answer, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', status: { authenticated: true, user: { username: 'jane', groups: ['dev'] } } });
  const line = JSON.parse(await nextLine((l) => l.includes('"TokenReview"'))) as { review: { path: string; spec: { token: string } } };
  assert.equal(line.review.path, '/authenticate');
  assert.equal(line.review.spec.token, 'from-the-webhook');
});

test('a SubjectAccessReview through the authorization kubeconfig', async () => {
  const answer = await postReview(hook.ready.authorizationKubeconfig, { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'jane', resourceAttributes: { verb: 'get', resource: 'pods' } } });
  assert.deepEqual(answer.status, { allowed: true });
});

test('a wrong script is one line naming the file and the field; no --script says what is missing', async () => {
  const bad = await tmp.write('bad.yaml', 'authorize:\n  - {verb: get}\n');
  const res = await cli('webhook', 'serve', '--script', bad, '--out-dir', tmp.dir);
  assert.equal(res.code, 1);
  assert.equal(res.stderr, `kube-auth-mock webhook: ${bad}: authorize[0].decision: must be one of allow, deny, noOpinion\n`);
  const none = await cli('webhook', 'serve');
  assert.deepEqual({ code: none.code, stderr: none.stderr }, { code: 2, stderr: 'kube-auth-mock webhook serve: required flag --script FILE not set (see kube-auth-mock webhook serve --help)\n' });
});
