// Minting an identity records the uid wherever its kind keeps one: the token or password table's uid column, or a
// certificate's UID subject attribute (kube 1.33+, request/x509/x509.go parseUIDFromCert), for which an empty uid
// is no attribute at all, since kube refuses an empty one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientCertOptions, mintCredentials, type IdentityRequest, type IdentityStore } from '../../../src/kubeconfig/mint.js';

type Recorded = { kind: 'cert' | 'token' | 'basic'; user: { name: string; uid: string; groups: readonly string[] } };

/** A store that records what it is asked to keep. */
function recordingStore(): { store: IdentityStore; recorded: Recorded[] } {
  const recorded: Recorded[] = [];
  return {
    recorded,
    store: {
      issueClientCertificate: async (user) => {
        recorded.push({ kind: 'cert', user });
        return { certPem: 'CERT', keyPem: 'KEY' };
      },
      addToken: async (_token, user) => void recorded.push({ kind: 'token', user }),
      addPassword: async (_password, user) => void recorded.push({ kind: 'basic', user }),
    },
  };
}

const cases: { name: string; identity: IdentityRequest; user: Recorded['user'] }[] = [
  { name: 'cert with a uid', identity: { user: 'jane', groups: ['dev'], uid: 'u-1', auth: 'cert' }, user: { name: 'jane', uid: 'u-1', groups: ['dev'] } },
  { name: 'cert without a uid', identity: { user: 'jane', auth: 'cert' }, user: { name: 'jane', uid: '', groups: [] } },
  { name: 'token with a uid', identity: { user: 'jane', uid: 'u-1', auth: 'token' }, user: { name: 'jane', uid: 'u-1', groups: [] } },
  { name: 'basic with a uid', identity: { user: 'bob', groups: ['qa'], uid: 'u-2', auth: 'basic' }, user: { name: 'bob', uid: 'u-2', groups: ['qa'] } },
];
for (const c of cases) {
  test(`mintCredentials: ${c.name} reaches the store`, async () => {
    const { store, recorded } = recordingStore();
    await mintCredentials(store, c.identity);
    assert.deepEqual(recorded, [{ kind: c.identity.auth, user: c.user }]);
  });
}

const certCases: { name: string; uid: string; want: ReturnType<typeof clientCertOptions> }[] = [
  { name: 'a uid becomes the UID attribute', uid: 'u-1', want: { user: 'jane', groups: ['dev'], uid: 'u-1' } },
  { name: 'an empty uid is no attribute (kube: "UID cannot be an empty string")', uid: '', want: { user: 'jane', groups: ['dev'] } },
];
for (const c of certCases) {
  test(`clientCertOptions: ${c.name}`, () => {
    assert.deepEqual(clientCertOptions({ name: 'jane', uid: c.uid, groups: ['dev'] }), c.want);
  });
}
