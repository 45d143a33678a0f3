// The explanation table: for each kind of failure, kubectl's text (k8s.io/kubectl pkg/cmd/util/helpers.go
// StandardErrorMessage, pkg/cmd/auth/whoami.go) and a fix; the classification of Go's x509 errors and the Go
// wording of dial errors and TLS alerts. test/e2e/handshake.test.ts compares the same texts with a real kubectl.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXPLANATIONS, explain, goDialError, goRemoteAlert, verifyErrorKind, type Failure, type FailureKind } from '../../../src/handshake/explanations.js';

const KUBECTL: [Failure, string][] = [
  [{ kind: 'kubeconfig', error: 'context "nope" does not exist' }, 'error: context "nope" does not exist'],
  [{ kind: 'insecure-with-ca', error: 'specifying a root certificates file with the insecure flag is not allowed' }, 'error: specifying a root certificates file with the insecure flag is not allowed'],
  [{ kind: 'ca-unparseable', error: 'unable to load root certificates: unable to parse bytes as PEM block' }, 'error: unable to load root certificates: unable to parse bytes as PEM block'],
  [{ kind: 'key-pair', error: 'tls: private key does not match public key' }, 'error: tls: private key does not match public key'],
  [{ kind: 'connection-refused', error: 'dial tcp 127.0.0.1:1: connect: connection refused', host: '127.0.0.1:1' }, 'The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?'],
  [{ kind: 'dial', error: 'dial tcp: lookup nosuch.invalid: no such host' }, 'Unable to connect to the server: dial tcp: lookup nosuch.invalid: no such host'],
  [{ kind: 'unknown-authority', error: 'x509: certificate signed by unknown authority' }, 'Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority'],
  [{ kind: 'hostname', error: 'x509: certificate is valid for a, b, not c' }, 'Unable to connect to the server: tls: failed to verify certificate: x509: certificate is valid for a, b, not c'],
  [{ kind: 'expired', error: 'x509: certificate has expired or is not yet valid: current time 2026-01-02T00:00:00Z is after 2026-01-01T00:00:00Z' }, 'Unable to connect to the server: tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2026-01-02T00:00:00Z is after 2026-01-01T00:00:00Z'],
  [{ kind: 'incompatible-usage', error: 'x509: certificate specifies an incompatible key usage' }, 'Unable to connect to the server: tls: failed to verify certificate: x509: certificate specifies an incompatible key usage'],
  [{ kind: 'tls', error: 'remote error: tls: bad certificate' }, 'Unable to connect to the server: remote error: tls: bad certificate'],
  [{ kind: 'unauthorized', error: 'Unauthorized', credential: 'token' }, 'error: You must be logged in to the server (Unauthorized)'],
  [{ kind: 'forbidden', error: 'selfsubjectreviews is forbidden' }, 'error: the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it'],
  [{ kind: 'not-found', error: 'the server could not find the requested resource' }, 'error: the selfsubjectreviews API is not enabled in the cluster'],
  [{ kind: 'status', error: 'etcdserver: request timed out', reason: 'InternalError' }, 'Error from server (InternalError): etcdserver: request timed out'],
  [{ kind: 'status', error: 'boom' }, 'Error from server: boom'],
  [{ kind: 'request', error: 'the server did not answer within 30 s' }, 'Unable to connect to the server: the server did not answer within 30 s'],
  [{ kind: 'answer', error: 'the server\'s answer is not JSON: <html>' }, 'error: the server\'s answer is not JSON: <html>'],
];

for (const [failure, kubectl] of KUBECTL) {
  test(`${failure.kind}: kubectl prints ${JSON.stringify(kubectl)}, with a reason and a fix`, () => {
    const e = explain(failure);
    assert.equal(e.kubectl, kubectl);
    assert.ok(e.why.length > 10 && e.fix.length > 10);
  });
}

test('every kind of failure has a row', () => {
  const kinds: FailureKind[] = ['kubeconfig', 'insecure-with-ca', 'ca-unparseable', 'key-pair', 'connection-refused', 'dial', 'unknown-authority', 'hostname', 'expired', 'not-yet-valid', 'incompatible-usage', 'verify-other', 'tls', 'unauthorized', 'forbidden', 'not-found', 'status', 'request', 'answer'];
  assert.deepEqual(Object.keys(EXPLANATIONS).sort(), [...kinds].sort());
});

const X509: [string, FailureKind][] = [
  ['x509: certificate signed by unknown authority', 'unknown-authority'],
  ['x509: certificate signed by unknown authority (possibly because of "x509: ECDSA verification failure" while trying to verify candidate authority certificate "ca")', 'unknown-authority'],
  ['x509: certificate is valid for localhost, not example.com', 'hostname'],
  ['x509: cannot validate certificate for 10.0.0.1 because it doesn\'t contain any IP SANs', 'hostname'],
  ['x509: certificate is not valid for any names, but wanted to match x', 'hostname'],
  ['x509: certificate relies on legacy Common Name field, use SANs instead', 'hostname'],
  ['x509: certificate has expired or is not yet valid: current time 2026-01-02T00:00:00Z is after 2026-01-01T00:00:00Z', 'expired'],
  ['x509: certificate has expired or is not yet valid: current time 2026-01-01T00:00:00Z is before 2026-01-02T00:00:00Z', 'not-yet-valid'],
  ['x509: certificate specifies an incompatible key usage', 'incompatible-usage'],
  ['x509: unhandled critical extension', 'verify-other'],
];

for (const [error, kind] of X509) {
  test(`verifyErrorKind(${JSON.stringify(error.slice(0, 60))}) is ${kind}`, () => assert.equal(verifyErrorKind(error), kind));
}

const UNAUTHORIZED: [Partial<Failure>, RegExp, RegExp][] = [
  [{ credential: 'client-certificate', serverAskedForCert: false }, /did not ask for a client certificate/, /--client-ca-file/],
  [{ credential: 'client-certificate', clientCertWithoutClientAuth: true }, /without clientAuth/, /clientAuth/],
  [{ credential: 'client-certificate', clientCertOutOfValidity: true }, /validity period/, /new client certificate/],
  [{ credential: 'client-certificate' }, /CA the server does not trust/, /client CA/],
  [{ credential: 'token' }, /bearer token/, /fresh token/],
  [{ credential: 'basic' }, /user name and password/, /basic-auth-file/],
  [{ credential: 'plugin' }, /exec plugin or auth-provider/, /plugin/],
  [{ credential: 'none' }, /no credential/, /add a credential/],
];

for (const [context, why, fix] of UNAUTHORIZED) {
  test(`a 401 with ${JSON.stringify(context)}: the reason and the fix fit`, () => {
    const e = explain({ kind: 'unauthorized', error: 'Unauthorized', ...context });
    assert.match(e.why, why);
    assert.match(e.fix, fix);
  });
}

test('goDialError: Go net error texts', () => {
  assert.equal(goDialError('ECONNREFUSED', 'localhost', '127.0.0.1', 6443), 'dial tcp 127.0.0.1:6443: connect: connection refused');
  assert.equal(goDialError('ECONNREFUSED', 'localhost', '::1', 6443), 'dial tcp [::1]:6443: connect: connection refused');
  assert.equal(goDialError('ETIMEDOUT', 'h', '10.0.0.1', 443), 'dial tcp 10.0.0.1:443: i/o timeout');
  assert.equal(goDialError('ENOTFOUND', 'nosuch.invalid', undefined, 443), 'dial tcp: lookup nosuch.invalid: no such host');
});

test('goRemoteAlert: OpenSSL alert numbers in crypto/tls alert.go words', () => {
  assert.equal(goRemoteAlert('error:0A000412:SSL routines::sslv3 alert bad certificate:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1605:SSL alert number 42'), 'remote error: tls: bad certificate');
  assert.equal(goRemoteAlert('... SSL alert number 116'), 'remote error: tls: certificate required');
  assert.equal(goRemoteAlert('... SSL alert number 200'), 'remote error: tls: alert(200)');
  assert.equal(goRemoteAlert('socket hang up'), undefined);
});
