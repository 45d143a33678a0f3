// `kube-auth-mock webhook serve`: the scriptable TokenReview / SubjectAccessReview receiver (src/webhook/), its
// kubeconfigs written for kube-apiserver or kube-auth-mock, every review it answers printed as a JSON line.
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError } from '../util/errors.js';
import { parseWebhookScript, WebhookScriptError } from '../webhook/script.js';
import { startWebhook } from '../webhook/receiver.js';
import { helpText, parseFlags, portFlag, requiredFlags, stringFlag, type FlagSpec } from './flags.js';

const FLAGS: readonly FlagSpec[] = [
  { name: 'script', type: 'string', help: 'YAML or JSON: tokens (token -> user or error), authorize (rules -> allow, deny, noOpinion), default; faults on purpose (delayMs, status)' },
  { name: 'port', type: 'string', default: '0', help: 'HTTPS port; 0 picks a free one (read it from the ready line)' },
  { name: 'bind-address', type: 'string', default: '127.0.0.1', help: 'address to listen on' },
  { name: 'out-dir', type: 'string', default: '.', help: 'where authn-webhook.kubeconfig and authz-webhook.kubeconfig are written' },
  { name: 'help', type: 'boolean', short: 'h', help: 'show this help' },
];

const EXAMPLES = [
  'kube-auth-mock webhook serve --script hook.yaml --out-dir /tmp/hook',
  'kube-auth-mock serve --authentication-token-webhook-config-file /tmp/hook/authn-webhook.kubeconfig --authorization-mode RBAC,Webhook --authorization-webhook-config-file /tmp/hook/authz-webhook.kubeconfig',
];

const SCRIPT_EXAMPLE = `
A script:
  tokens:
    - token: from-the-webhook
      user: {username: jane, uid: "42", groups: [dev], extra: {team: [a]}}
    - token: revoked
      error: token has been revoked
    - token: slow
      user: {username: slowpoke}
      fault: {delayMs: 2000}
  authorize:
    - {user: jane, verb: get, resource: pods, decision: allow, reason: jane reads pods}
    - {userGroup: interns, verb: delete, decision: deny, reason: no deletes for interns}
    - {path: /healthz, decision: allow}
    - {user: flaky, decision: allow, fault: {status: 500}}
  default: noOpinion
`;

/** `kube-auth-mock webhook serve`. */
export async function webhookCommand(argv: readonly string[]): Promise<number> {
  const [verb, ...rest] = argv;
  const { values } = parseFlags(rest, FLAGS, { command: 'webhook serve', positionals: verb !== 'serve' });
  if (verb !== 'serve' || values.help) {
    process.stdout.write(helpText('kube-auth-mock webhook serve --script FILE [--port N] [--out-dir DIR]', EXAMPLES, FLAGS) + SCRIPT_EXAMPLE);
    // Help asked for (or no verb) is a success; an unknown verb is a usage error.
    return values.help || verb === undefined || verb === '--help' || verb === '-h' ? 0 : 2;
  }
  const [scriptFile] = requiredFlags('webhook serve', values, [['script', 'FILE']]);
  let text: string;
  try {
    text = await readFile(scriptFile, 'utf8');
  } catch (err) {
    throw new ConfigError({ file: scriptFile, reason: `cannot read the script: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, code: 'FILE_UNREADABLE' });
  }
  let script;
  try {
    script = parseWebhookScript(text);
  } catch (err) {
    if (err instanceof WebhookScriptError) throw new ConfigError({ file: scriptFile, reason: err.message, code: 'FLAG_INVALID' });
    throw err;
  }
  const webhook = await startWebhook({ script, port: portFlag(values, 'port', 0), bindAddress: stringFlag(values, 'bind-address', '127.0.0.1')! });
  const outDir = resolve(stringFlag(values, 'out-dir', '.')!);
  const files = { authentication: join(outDir, 'authn-webhook.kubeconfig'), authorization: join(outDir, 'authz-webhook.kubeconfig') };
  try {
    await writeFile(files.authentication, webhook.authenticationKubeconfig());
    await writeFile(files.authorization, webhook.authorizationKubeconfig());
  } catch (err) {
    await webhook.stop();
    throw err;
  }
  const stopped = new Promise<void>((resolveStop) => {
    const stop = (): void => void webhook.stop().then(resolveStop);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  webhook.onReview((review) => process.stdout.write(`${JSON.stringify({ review })}\n`));
  process.stdout.write(`${JSON.stringify({ ready: true, url: webhook.url, authenticationKubeconfig: files.authentication, authorizationKubeconfig: files.authorization })}\n`);
  await stopped;
  return 0;
}
