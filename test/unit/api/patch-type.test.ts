// The patch types a resource accepts (handlers/patch.go PatchResource): kube's 415 lists them, and leaves out
// strategic merge for a kind without strategic merge metadata, as it does for custom resources.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { patchTypeOf } from '../../../src/api/rest/patch.js';
import { StatusError } from '../../../src/apimachinery/status.js';

const refused = (message: string) => (err: unknown) => err instanceof StatusError && err.code === 415 && err.status.reason === 'UnsupportedMediaType' && err.message === message;

test('a kind with strategic merge metadata accepts all three patch types, a charset parameter ignored', () => {
  assert.equal(patchTypeOf('application/json-patch+json'), 'json');
  assert.equal(patchTypeOf('application/merge-patch+json'), 'merge');
  assert.equal(patchTypeOf('application/strategic-merge-patch+json; charset=utf-8'), 'strategic');
});

test('a kind without it answers a strategic merge patch with a 415 that lists the two it accepts', () => {
  assert.equal(patchTypeOf('application/merge-patch+json', false), 'merge');
  assert.throws(
    () => patchTypeOf('application/strategic-merge-patch+json', false),
    refused('the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json'),
  );
});
