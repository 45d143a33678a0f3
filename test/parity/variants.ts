// The set-up variants: what each adds to both servers' flags (kube-apiserver's flags for the reference, the
// options that mirror them for the mock), and what it needs running beside them (the scriptable webhook of
// `webhooks`) or left on disk (the audit log of `audit`). Both servers of a variant get the same files.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWebhook, type ReceivedReview, type StartServerOptions } from '../../src/index.js';
import { PKI_FILE_NAMES } from '../../src/pki/index.js';
import type { ParityVariant } from './scenario.js';
import type { ParitySetup } from './setup.js';

/** The authorization mode both servers run with (--authorization-mode) unless the variant says otherwise. */
export const PARITY_AUTHORIZATION_MODE = 'RBAC';

/** The mock's options that differ between variants. */
export type VariantMockOptions = Pick<
  StartServerOptions,
  | 'anonymousAuth'
  | 'enableBootstrapTokenAuth'
  | 'authorizationMode'
  | 'authenticationTokenWebhookConfigFile'
  | 'authorizationWebhookConfigFile'
  | 'requestheaderClientCaFile'
  | 'requestheaderAllowedNames'
  | 'requestheaderUsernameHeaders'
  | 'requestheaderUidHeaders'
  | 'requestheaderGroupHeaders'
  | 'requestheaderExtraHeadersPrefix'
  | 'auditPolicyFile'
  | 'auditLogPath'
>;

/** A variant made ready for one server: its flags, its mock options, and what to stop with the server. */
export interface VariantEnvironment {
  /** kube-apiserver's flags beyond the common ones (reference-server.ts), with --authorization-mode and --anonymous-auth */
  authorizationMode: string;
  anonymousAuth: boolean;
  referenceFlags: string[];
  mockOptions: VariantMockOptions;
  /** the audit log both servers write in the `audit` variant; scenarios read their requests' events from it */
  auditLogFile?: string;
  /** every review the webhook of the `webhooks` variant received so far, in order */
  webhookReviews?: () => readonly ReceivedReview[];
  stop(): Promise<void>;
}

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** kubeadm's requestheader flags (cmd/kubeadm/app/phases/controlplane/manifests.go) plus the uid header of 1.33+. */
const REQUEST_HEADER = Object.freeze({
  allowedNames: ['front-proxy-client'],
  usernameHeaders: ['X-Remote-User'],
  uidHeaders: ['X-Remote-Uid'],
  groupHeaders: ['X-Remote-Group'],
  extraHeadersPrefix: ['X-Remote-Extra-'],
});

async function withTempDir<T>(prefix: string, build: (dir: string) => Promise<T>): Promise<T & { dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    return { ...(await build(dir)), dir };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

const common = (anonymousAuth: boolean, extra: Partial<VariantEnvironment> = {}): VariantEnvironment => ({
  authorizationMode: PARITY_AUTHORIZATION_MODE,
  anonymousAuth,
  referenceFlags: [],
  mockOptions: { anonymousAuth },
  async stop() {},
  ...extra,
});

/**
 * Makes a variant ready. `default`: --anonymous-auth=true; `anonymous-off`: --anonymous-auth=false;
 * `bootstrap-tokens`: --enable-bootstrap-token-auth; `webhooks`: the scriptable webhook (fixtures/webhook.yaml) as
 * --authentication-token-webhook-config-file and, with --authorization-mode=RBAC,Webhook, as
 * --authorization-webhook-config-file (kube's default versions, TTLs and retries on both servers);
 * `front-proxy`: --requestheader-client-ca-file=front-proxy-ca.crt with kubeadm's names and headers and
 * X-Remote-Uid; `audit`: --audit-policy-file=fixtures/audit-policy.yaml and --audit-log-path in a folder of its own.
 */
export async function prepareVariant(setup: ParitySetup, variant: ParityVariant): Promise<VariantEnvironment> {
  switch (variant) {
    case 'default':
      return common(true);
    case 'anonymous-off':
      return common(false);
    case 'bootstrap-tokens':
      return common(true, { referenceFlags: ['--enable-bootstrap-token-auth'], mockOptions: { anonymousAuth: true, enableBootstrapTokenAuth: true } });
    case 'webhooks': {
      const hook = await startWebhook({ script: await readFile(fixture('webhook.yaml'), 'utf8') });
      try {
        const { dir, authn, authz } = await withTempDir('kam-parity-webhooks-', async (d) => {
          const files = { authn: join(d, 'authn-webhook.kubeconfig'), authz: join(d, 'authz-webhook.kubeconfig') };
          await writeFile(files.authn, hook.authenticationKubeconfig(), { mode: 0o600 });
          await writeFile(files.authz, hook.authorizationKubeconfig(), { mode: 0o600 });
          return files;
        });
        const authorizationMode = `${PARITY_AUTHORIZATION_MODE},Webhook`;
        return {
          authorizationMode,
          anonymousAuth: true,
          referenceFlags: [`--authentication-token-webhook-config-file=${authn}`, `--authorization-webhook-config-file=${authz}`],
          mockOptions: { anonymousAuth: true, authorizationMode, authenticationTokenWebhookConfigFile: authn, authorizationWebhookConfigFile: authz },
          webhookReviews: () => hook.reviews,
          async stop() {
            await hook.stop();
            await rm(dir, { recursive: true, force: true });
          },
        };
      } catch (err) {
        await hook.stop();
        throw err;
      }
    }
    case 'front-proxy': {
      const caFile = join(setup.pkiDir, PKI_FILE_NAMES.frontProxyCaCert);
      const h = REQUEST_HEADER;
      return common(true, {
        referenceFlags: [
          `--requestheader-client-ca-file=${caFile}`,
          `--requestheader-allowed-names=${h.allowedNames.join(',')}`,
          `--requestheader-username-headers=${h.usernameHeaders.join(',')}`,
          `--requestheader-uid-headers=${h.uidHeaders.join(',')}`,
          `--requestheader-group-headers=${h.groupHeaders.join(',')}`,
          `--requestheader-extra-headers-prefix=${h.extraHeadersPrefix.join(',')}`,
        ],
        mockOptions: {
          anonymousAuth: true,
          requestheaderClientCaFile: caFile,
          requestheaderAllowedNames: [...h.allowedNames],
          requestheaderUsernameHeaders: [...h.usernameHeaders],
          requestheaderUidHeaders: [...h.uidHeaders],
          requestheaderGroupHeaders: [...h.groupHeaders],
          requestheaderExtraHeadersPrefix: [...h.extraHeadersPrefix],
        },
      });
    }
    case 'audit': {
      const policy = fixture('audit-policy.yaml');
      const { dir, log } = await withTempDir('kam-parity-audit-', async (d) => ({ log: join(d, 'audit.log') }));
      return common(true, {
        referenceFlags: [`--audit-policy-file=${policy}`, `--audit-log-path=${log}`],
        mockOptions: { anonymousAuth: true, auditPolicyFile: policy, auditLogPath: log },
        auditLogFile: log,
        stop: () => rm(dir, { recursive: true, force: true }),
      });
    }
  }
}
