// Strategic merge patch (src/apimachinery/strategic-merge.ts) against kube's own test cases: rows of
// k8s.io/apimachinery v0.33.0 pkg/util/strategicpatch/patch_test.go (strategicMergePatchRawTestCases,
// createStrategicMergePatchTestCaseData, customStrategicMergePatchRawTestCases, customStrategicMergePatchTestCaseData),
// applied as TestStrategicMergePatch applies them: the two-way patch to the original, the three-way patch to the
// current object (labelled "<description>/TwoWay" and "/ThreeWay" as its subtests are). The merge metadata is that
// test's MergeItem struct; expected errors are the whole texts kube's code returns (the test itself checks that
// they contain its expectedError). Then the served kinds' metadata (src/api/codec/patch-meta.ts) on patches whose
// expected results and errors come from running kube's StrategicMergeMapPatch on the k8s.io/api v0.33 types.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { strategicMergePatch, StrategicMergeError, type PatchField, type PatchStruct } from '../../../src/apimachinery/strategic-merge.js';
import { GoPanic, goSprint } from '../../../src/apimachinery/go-value.js';
import {
  CLUSTER_ROLE_PATCH_META,
  CONFIG_MAP_PATCH_META,
  NAMESPACE_PATCH_META,
  NODE_PATCH_META,
  POD_PATCH_META,
  ROLE_BINDING_PATCH_META,
  SERVICE_ACCOUNT_PATCH_META,
} from '../../../src/api/codec/patch-meta.js';

// patch_test.go's MergeItem and RetainKeysMergeItem struct tags.
const MERGE_ITEM: Record<string, PatchField> = {};
const RETAIN_KEYS_MERGE_ITEM: PatchStruct = {
  mergingIntList: { strategy: 'merge', elemKind: 'int' },
  mergingList: { strategy: 'merge', mergeKey: 'name', fields: MERGE_ITEM },
  nonMergingList: { fields: MERGE_ITEM },
};
Object.assign(MERGE_ITEM, {
  mergingList: { strategy: 'merge', mergeKey: 'name', fields: MERGE_ITEM },
  nonMergingList: { fields: MERGE_ITEM },
  mergingIntList: { strategy: 'merge', elemKind: 'int' },
  mergeItemPtr: { strategy: 'merge', mergeKey: 'name', fields: MERGE_ITEM },
  replacingItem: { strategy: 'replace' },
  retainKeysMap: { strategy: 'retainKeys', fields: RETAIN_KEYS_MERGE_ITEM },
  retainKeysMergingList: { strategy: 'merge,retainKeys', mergeKey: 'name', fields: MERGE_ITEM },
} satisfies PatchStruct);

type Json = Record<string, unknown>;

interface Row {
  name: string;
  original: Json;
  patch: Json;
  expected?: Json;
  error?: string;
}

function check(row: Row, meta: PatchStruct): void {
  if (row.error !== undefined) {
    assert.throws(() => strategicMergePatch(row.original, row.patch, meta), (err: unknown) => err instanceof StrategicMergeError && err.message === row.error);
    return;
  }
  assert.deepStrictEqual(strategicMergePatch(row.original, row.patch, meta), row.expected);
}

const KUBE_CASES: Record<string, Row[]> = {
  "TestStrategicMergePatch: strategicMergePatchRawTestCases": [
    { name: "nested patch merge with empty list/TwoWay", original: {"name": "hi"}, patch: {"mergingList": [{"name": "hello"}, {"$patch": "delete", "name": "doesntexist"}]}, expected: {"mergingList": [{"name": "hello"}], "name": "hi"} },
    { name: "delete items in lists of scalars/TwoWay", original: {"mergingIntList": [1, 2, 3]}, patch: {"$deleteFromPrimitiveList/mergingIntList": [3], "$setElementOrder/mergingIntList": [1, 2]}, expected: {"mergingIntList": [1, 2]} },
    { name: "delete all duplicate items in lists of scalars/TwoWay", original: {"mergingIntList": [1, 2, 3, 3]}, patch: {"$deleteFromPrimitiveList/mergingIntList": [3], "$setElementOrder/mergingIntList": [1, 2]}, expected: {"mergingIntList": [1, 2]} },
    { name: "add and delete items in lists of scalars/TwoWay", original: {"mergingIntList": [1, 2, 3]}, patch: {"$deleteFromPrimitiveList/mergingIntList": [3], "$setElementOrder/mergingIntList": [1, 2, 4], "mergingIntList": [4]}, expected: {"mergingIntList": [1, 2, 4]} },
    { name: "merge lists of maps/TwoWay", original: {"mergingList": [{"name": 1}, {"name": 2, "value": 2}]}, patch: {"$setElementOrder/mergingList": [{"name": 4}, {"name": 1}, {"name": 2}, {"name": 3}], "mergingList": [{"name": 4, "value": 4}, {"name": 3, "value": 3}]}, expected: {"mergingList": [{"name": 4, "value": 4}, {"name": 1}, {"name": 2, "value": 2}, {"name": 3, "value": 3}]} },
    { name: "add field to map in merging list/TwoWay", original: {"mergingList": [{"name": 1}, {"name": 2, "value": 2}]}, patch: {"$setElementOrder/mergingList": [{"name": 1}, {"name": 2}], "mergingList": [{"name": 1, "value": 1}]}, expected: {"mergingList": [{"name": 1, "value": 1}, {"name": 2, "value": 2}]} },
    { name: "add duplicate field to map in merging list/TwoWay", original: {"mergingList": [{"name": 1}, {"name": 2, "value": 2}]}, patch: {"$setElementOrder/mergingList": [{"name": 1}, {"name": 2}], "mergingList": [{"name": 1, "value": 1}]}, expected: {"mergingList": [{"name": 1, "value": 1}, {"name": 2, "value": 2}]} },
    { name: "add an item that already exists in current object in merging list/TwoWay", original: {"mergingList": [{"name": 1, "value": "a"}, {"name": 2}]}, patch: {"$setElementOrder/mergingList": [{"name": 1}, {"name": 2}, {"name": 3}], "mergingList": [{"name": 3}]}, expected: {"mergingList": [{"name": 1, "value": "a"}, {"name": 2}, {"name": 3}]} },
    { name: "replace map field value in merging list/TwoWay", original: {"mergingList": [{"name": 1, "value": 1}, {"name": 2, "value": 2}]}, patch: {"$setElementOrder/mergingList": [{"name": 1}, {"name": 2}], "mergingList": [{"name": 1, "value": "a"}]}, expected: {"mergingList": [{"name": 1, "value": "a"}, {"name": 2, "value": 2}]} },
    { name: "delete map from merging list/TwoWay", original: {"mergingList": [{"name": 1}, {"name": 2}]}, patch: {"$setElementOrder/mergingList": [{"name": 2}], "mergingList": [{"$patch": "delete", "name": 1}]}, expected: {"mergingList": [{"name": 2}]} },
    { name: "delete missing map from merging list/TwoWay", original: {"mergingList": [{"name": 1}, {"name": 2}]}, patch: {"$setElementOrder/mergingList": [{"name": 2}], "mergingList": [{"$patch": "delete", "name": 1}]}, expected: {"mergingList": [{"name": 2}]} },
    { name: "add map and delete map from merging list/TwoWay", original: {"mergingList": [{"name": 1}, {"name": 2}]}, patch: {"$setElementOrder/mergingList": [{"name": 2}, {"name": 3}], "mergingList": [{"name": 3}, {"$patch": "delete", "name": 1}]}, expected: {"mergingList": [{"name": 2}, {"name": 3}]} },
    { name: "add map and delete map from merging list/ThreeWay", original: {"mergingList": [{"name": 1}, {"name": 2, "other": "b"}, {"name": 4, "other": "c"}]}, patch: {"$setElementOrder/mergingList": [{"name": 2}, {"name": 3}], "mergingList": [{"name": 3}, {"$patch": "delete", "name": 1}]}, expected: {"mergingList": [{"name": 2, "other": "b"}, {"name": 4, "other": "c"}, {"name": 3}]} },
    { name: "delete field from map in merging list/TwoWay", original: {"mergingList": [{"name": 1, "value": 1}, {"name": 2, "value": 2}]}, patch: {"$setElementOrder/mergingList": [{"name": 1}, {"name": 2}], "mergingList": [{"name": 1, "value": null}]}, expected: {"mergingList": [{"name": 1}, {"name": 2, "value": 2}]} },
    { name: "replace non merging list nested in merging list/TwoWay", original: {"mergingList": [{"name": 1, "nonMergingList": [{"name": 1}, {"name": 2, "value": 2}]}, {"name": 2}]}, patch: {"$setElementOrder/mergingList": [{"name": 1}, {"name": 2}], "mergingList": [{"name": 1, "nonMergingList": [{"name": 1, "value": 1}]}]}, expected: {"mergingList": [{"name": 1, "nonMergingList": [{"name": 1, "value": 1}]}, {"name": 2}]} },
    { name: "add field to map in merging list nested in merging list/TwoWay", original: {"mergingList": [{"mergingList": [{"name": 1}, {"name": 2, "value": 2}], "name": 1}, {"name": 2}]}, patch: {"$setElementOrder/mergingList": [{"name": 1}, {"name": 2}], "mergingList": [{"$setElementOrder/mergingList": [{"name": 1}, {"name": 2}], "mergingList": [{"name": 1, "value": 1}], "name": 1}]}, expected: {"mergingList": [{"mergingList": [{"name": 1, "value": 1}, {"name": 2, "value": 2}], "name": 1}, {"name": 2}]} },
    { name: "add map to merging list by pointer/TwoWay", original: {"mergeItemPtr": [{"name": 1}]}, patch: {"$setElementOrder/mergeItemPtr": [{"name": 1}, {"name": 2}], "mergeItemPtr": [{"name": 2}]}, expected: {"mergeItemPtr": [{"name": 1}, {"name": 2}]} },
    { name: "add field to map in merging list by pointer/TwoWay", original: {"mergeItemPtr": [{"mergeItemPtr": [{"name": 1}, {"name": 2, "value": 2}], "name": 1}, {"name": 2}]}, patch: {"$setElementOrder/mergeItemPtr": [{"name": 1}, {"name": 2}], "mergeItemPtr": [{"$setElementOrder/mergeItemPtr": [{"name": 1}, {"name": 2}], "mergeItemPtr": [{"name": 1, "value": 1}], "name": 1}]}, expected: {"mergeItemPtr": [{"mergeItemPtr": [{"name": 1, "value": 1}, {"name": 2, "value": 2}], "name": 1}, {"name": 2}]} },
    { name: "merge lists of scalars/TwoWay", original: {"mergingIntList": [1, 2]}, patch: {"$setElementOrder/mergingIntList": [1, 2, 3], "mergingIntList": [3]}, expected: {"mergingIntList": [1, 2, 3]} },
    { name: "add duplicate field to map in merging int list/TwoWay", original: {"mergingIntList": [1, 2]}, patch: {"$setElementOrder/mergingIntList": [1, 2, 3], "mergingIntList": [3]}, expected: {"mergingIntList": [1, 2, 3]} },
    { name: "add an item in a list of primitives and preserve order/TwoWay", original: {"mergingIntList": [1, 2]}, patch: {"$setElementOrder/mergingIntList": [3, 1, 2], "mergingIntList": [3]}, expected: {"mergingIntList": [3, 1, 2]} },
    { name: "delete an item in a list of primitives and preserve order/TwoWay", original: {"mergingIntList": [1, 2, 3]}, patch: {"$deleteFromPrimitiveList/mergingIntList": [3], "$setElementOrder/mergingIntList": [2, 1]}, expected: {"mergingIntList": [2, 1]} },
    { name: "add an item in a list and preserve order/TwoWay", original: {"mergingList": [{"name": 1}, {"name": 2, "value": 2}]}, patch: {"$setElementOrder/mergingList": [{"name": 3}, {"name": 1}, {"name": 2}], "mergingList": [{"name": 3, "value": 3}]}, expected: {"mergingList": [{"name": 3, "value": 3}, {"name": 1}, {"name": 2, "value": 2}]} },
    { name: "delete an item in a list and preserve order/TwoWay", original: {"mergingList": [{"name": 1}, {"name": 3, "value": 3}, {"name": 2, "value": 2}]}, patch: {"$setElementOrder/mergingList": [{"name": 2}, {"name": 1}], "mergingList": [{"$patch": "delete", "name": 3}]}, expected: {"mergingList": [{"name": 2, "value": 2}, {"name": 1}]} },
    { name: "change an item in a list and preserve order/TwoWay", original: {"mergingList": [{"name": 1}, {"name": 3, "value": 3}, {"name": 2, "value": 2}]}, patch: {"$setElementOrder/mergingList": [{"name": 2}, {"name": 3}, {"name": 1}], "mergingList": [{"name": 3, "value": "x"}]}, expected: {"mergingList": [{"name": 2, "value": 2}, {"name": 3, "value": "x"}, {"name": 1}]} },
    { name: "add and delete an item in a list and preserve order/TwoWay", original: {"mergingList": [{"name": 1}, {"name": 3, "value": 3}, {"name": 2, "value": 2}]}, patch: {"$setElementOrder/mergingList": [{"name": 4}, {"name": 2}, {"name": 1}], "mergingList": [{"name": 4, "value": 4}, {"$patch": "delete", "name": 3}]}, expected: {"mergingList": [{"name": 4, "value": 4}, {"name": 2, "value": 2}, {"name": 1}]} },
    { name: "set elements order in a list/TwoWay", original: {"mergingList": [{"name": 1}, {"name": 3, "value": 3}, {"name": 4, "value": 4}, {"name": 2, "value": 2}]}, patch: {"$setElementOrder/mergingList": [{"name": 4}, {"name": 2}, {"name": 3}, {"name": 1}]}, expected: {"mergingList": [{"name": 4, "value": 4}, {"name": 2, "value": 2}, {"name": 3, "value": 3}, {"name": 1}]} },
    { name: "set elements order in a list with server-only items/TwoWay", original: {"mergingList": [{"name": 1}, {"name": 3, "value": 3}, {"name": 4, "value": 4}, {"name": 2, "value": 2}]}, patch: {"$setElementOrder/mergingList": [{"name": 4}, {"name": 2}, {"name": 3}, {"name": 1}]}, expected: {"mergingList": [{"name": 4, "value": 4}, {"name": 2, "value": 2}, {"name": 3, "value": 3}, {"name": 1}]} },
    { name: "set elements order in a list with server-only items 3/TwoWay", original: {"mergingList": [{"name": 1}, {"name": 2, "value": 2}, {"name": 3, "value": 3}, {"name": 4, "value": 4}]}, patch: {"$setElementOrder/mergingList": [{"name": 2}, {"name": 1}, {"name": 4}, {"name": 3}]}, expected: {"mergingList": [{"name": 2, "value": 2}, {"name": 1}, {"name": 4, "value": 4}, {"name": 3, "value": 3}]} },
    { name: "add an item in a int list and preserve order/TwoWay", original: {"mergingIntList": [1, 2]}, patch: {"$setElementOrder/mergingIntList": [3, 1, 2], "mergingIntList": [3]}, expected: {"mergingIntList": [3, 1, 2]} },
    { name: "delete an item in a int list and preserve order/TwoWay", original: {"mergingIntList": [1, 3, 2]}, patch: {"$deleteFromPrimitiveList/mergingIntList": [3], "$setElementOrder/mergingIntList": [2, 1]}, expected: {"mergingIntList": [2, 1]} },
    { name: "set elements order in a int list/TwoWay", original: {"mergingIntList": [1, 3, 4, 2]}, patch: {"$setElementOrder/mergingIntList": [4, 2, 3, 1]}, expected: {"mergingIntList": [4, 2, 3, 1]} },
    { name: "set elements order in a int list with server-only items/TwoWay", original: {"mergingIntList": [1, 3, 4, 2]}, patch: {"$setElementOrder/mergingIntList": [4, 2, 3, 1]}, expected: {"mergingIntList": [4, 2, 3, 1]} },
    { name: "behavior of set element order for a merging list with duplicate/TwoWay", original: {"mergingList": [{"name": 1}, {"name": 2, "value": "dup1"}, {"name": 3}, {"name": 2, "value": "dup2"}, {"name": 4}]}, patch: {"$setElementOrder/mergingList": [{"name": 2}, {"name": 1}, {"name": 4}, {"name": 3}, {"name": 2}]}, expected: {"mergingList": [{"name": 2, "value": "dup1"}, {"name": 2, "value": "dup2"}, {"name": 1}, {"name": 4}, {"name": 3}]} },
    { name: "behavior of set element order for a merging int list with duplicate/TwoWay", original: {"mergingIntList": [1, 2, 3, 2, 4]}, patch: {"$setElementOrder/mergingIntList": [2, 1, 4, 3, 2]}, expected: {"mergingIntList": [2, 2, 1, 4, 3]} },
    { name: "retainKeys map should clear defaulted field/ThreeWay", original: {"retainKeysMap": {"value": "foo"}}, patch: {"retainKeysMap": {"$retainKeys": ["other"], "other": "bar"}}, expected: {"retainKeysMap": {"other": "bar"}} },
    { name: "retainKeys map adds a field/TwoWay", original: {"retainKeysMap": {"name": "foo"}}, patch: {"retainKeysMap": {"$retainKeys": ["name", "value"], "value": "bar"}}, expected: {"retainKeysMap": {"name": "foo", "value": "bar"}} },
    { name: "retainKeys map adds a field and clear a field/TwoWay", original: {"retainKeysMap": {"name": "foo"}}, patch: {"retainKeysMap": {"$retainKeys": ["name", "value"], "value": "bar"}}, expected: {"retainKeysMap": {"name": "foo", "value": "bar"}} },
    { name: "retainKeys map deletes a field/TwoWay", original: {"retainKeysMap": {"name": "foo", "value": "bar"}}, patch: {"retainKeysMap": {"$retainKeys": ["name"], "value": null}}, expected: {"retainKeysMap": {"name": "foo"}} },
    { name: "retainKeys map nested map with no change/TwoWay", original: {"retainKeysMap": {"name": "foo", "simpleMap": {"key1": "a"}}}, patch: {"retainKeysMap": {"$retainKeys": ["name", "simpleMap", "value"], "value": "bar"}}, expected: {"retainKeysMap": {"name": "foo", "simpleMap": {"key1": "a"}, "value": "bar"}} },
    { name: "retainKeys map replaces non-merging list/TwoWay", original: {"retainKeysMap": {"name": "foo", "nonMergingList": [{"name": "a"}, {"name": "b"}], "value": "bar"}}, patch: {"retainKeysMap": {"$retainKeys": ["name", "nonMergingList", "value"], "nonMergingList": [{"name": "a"}, {"name": "c"}, {"name": "b"}]}}, expected: {"retainKeysMap": {"name": "foo", "nonMergingList": [{"name": "a"}, {"name": "c"}, {"name": "b"}], "value": "bar"}} },
    { name: "retainKeys map nested merging int list with no change/TwoWay", original: {"retainKeysMap": {"mergingIntList": [1, 2], "name": "foo"}}, patch: {"retainKeysMap": {"$retainKeys": ["mergingIntList", "name", "value"], "value": "bar"}}, expected: {"retainKeysMap": {"mergingIntList": [1, 2], "name": "foo", "value": "bar"}} },
    { name: "retainKeys map adds an item in nested merging int list/TwoWay", original: {"retainKeysMap": {"mergingIntList": [1, 2], "name": "foo"}}, patch: {"retainKeysMap": {"$retainKeys": ["mergingIntList", "name"], "$setElementOrder/mergingIntList": [1, 2, 4], "mergingIntList": [4]}}, expected: {"retainKeysMap": {"mergingIntList": [1, 2, 4], "name": "foo"}} },
    { name: "retainKeys map deletes an item in nested merging int list/TwoWay", original: {"retainKeysMap": {"mergingIntList": [1, 2, 3], "name": "foo"}}, patch: {"retainKeysMap": {"$deleteFromPrimitiveList/mergingIntList": [2], "$retainKeys": ["mergingIntList", "name"], "$setElementOrder/mergingIntList": [1, 3]}}, expected: {"retainKeysMap": {"mergingIntList": [1, 3], "name": "foo"}} },
    { name: "retainKeys map nested merging list with no change/TwoWay", original: {"retainKeysMap": {"mergingList": [{"name": "a"}, {"name": "b"}], "name": "foo"}}, patch: {"retainKeysMap": {"$retainKeys": ["mergingList", "name", "value"], "value": "bar"}}, expected: {"retainKeysMap": {"mergingList": [{"name": "a"}, {"name": "b"}], "name": "foo", "value": "bar"}} },
    { name: "retainKeys map adds an item in nested merging list/TwoWay", original: {"retainKeysMap": {"mergingList": [{"name": "a"}, {"name": "b"}], "name": "foo"}}, patch: {"retainKeysMap": {"$retainKeys": ["mergingList", "name"], "$setElementOrder/mergingList": [{"name": "a"}, {"name": "b"}, {"name": "c"}], "mergingList": [{"name": "c"}]}}, expected: {"retainKeysMap": {"mergingList": [{"name": "a"}, {"name": "b"}, {"name": "c"}], "name": "foo"}} },
    { name: "retainKeys map deletes an item in nested merging list/TwoWay", original: {"retainKeysMap": {"mergingList": [{"name": "a"}, {"name": "b"}], "name": "foo"}}, patch: {"retainKeysMap": {"$retainKeys": ["mergingList", "name"], "$setElementOrder/mergingList": [{"name": "a"}], "mergingList": [{"$patch": "delete", "name": "b"}]}}, expected: {"retainKeysMap": {"mergingList": [{"name": "a"}], "name": "foo"}} },
    { name: "retainKeys list of maps clears a field/ThreeWay", original: {"retainKeysMergingList": [{"name": "bar"}, {"name": "foo", "other": "x", "value": "a"}]}, patch: {"$setElementOrder/retainKeysMergingList": [{"name": "bar"}, {"name": "foo"}], "retainKeysMergingList": [{"$retainKeys": ["name", "value"], "name": "foo"}]}, expected: {"retainKeysMergingList": [{"name": "bar"}, {"name": "foo", "value": "a"}]} },
    { name: "retainKeys list of maps changes a field and clear a field/TwoWay", original: {"retainKeysMergingList": [{"name": "bar"}, {"name": "foo", "value": "old"}]}, patch: {"$setElementOrder/retainKeysMergingList": [{"name": "bar"}, {"name": "foo"}], "retainKeysMergingList": [{"$retainKeys": ["name", "value"], "name": "foo", "value": "new"}]}, expected: {"retainKeysMergingList": [{"name": "bar"}, {"name": "foo", "value": "new"}]} },
    { name: "retainKeys list of maps adds a field/TwoWay", original: {"retainKeysMergingList": [{"name": "bar"}, {"name": "foo"}]}, patch: {"$setElementOrder/retainKeysMergingList": [{"name": "bar"}, {"name": "foo"}], "retainKeysMergingList": [{"$retainKeys": ["name", "value"], "name": "foo", "value": "a"}]}, expected: {"retainKeysMergingList": [{"name": "bar"}, {"name": "foo", "value": "a"}]} },
    { name: "retainKeys list of maps deletes a field/TwoWay", original: {"retainKeysMergingList": [{"name": "bar"}, {"name": "foo", "value": "a"}]}, patch: {"$setElementOrder/retainKeysMergingList": [{"name": "bar"}, {"name": "foo"}], "retainKeysMergingList": [{"$retainKeys": ["name"], "name": "foo", "value": null}]}, expected: {"retainKeysMergingList": [{"name": "bar"}, {"name": "foo"}]} },
    { name: "delete and reorder in one list, reorder in another/TwoWay", original: {"mergeItemPtr": [{"name": "c", "value": "c"}, {"name": "d", "value": "d"}], "mergingList": [{"name": "a", "value": "a"}, {"name": "b", "value": "b"}]}, patch: {"$setElementOrder/mergeItemPtr": [{"name": "d"}, {"name": "c"}], "$setElementOrder/mergingList": [{"name": "b"}], "mergingList": [{"$patch": "delete", "name": "a"}]}, expected: {"mergeItemPtr": [{"name": "d", "value": "d"}, {"name": "c", "value": "c"}], "mergingList": [{"name": "b", "value": "b"}]} },
  ],
  "TestStrategicMergePatch: createStrategicMergePatchTestCaseData": [
    { name: "nil original/ThreeWay", original: {"name": 1, "other": "a"}, patch: {"value": 1}, expected: {"name": 1, "other": "a", "value": 1} },
    { name: "add field to map/TwoWay", original: {"name": 1}, patch: {"value": 1}, expected: {"name": 1, "value": 1} },
    { name: "add field and delete field from map/TwoWay", original: {"name": 1}, patch: {"name": null, "value": 1}, expected: {"value": 1} },
    { name: "delete field from nested map/TwoWay", original: {"simpleMap": {"key1": 1, "key2": 1}}, patch: {"simpleMap": {"key2": null}}, expected: {"simpleMap": {"key1": 1}} },
    { name: "delete all fields from map/TwoWay", original: {"name": 1, "value": 1}, patch: {"name": null, "value": null}, expected: {} },
    { name: "replace list of scalars/TwoWay", original: {"nonMergingIntList": [1, 2]}, patch: {"nonMergingIntList": [2, 3]}, expected: {"nonMergingIntList": [2, 3]} },
    { name: "delete all maps from merging list/TwoWay", original: {"mergingList": [{"name": 1}, {"name": 2}]}, patch: {"mergingList": [{"$patch": "delete", "name": 1}, {"$patch": "delete", "name": 2}]}, expected: {"mergingList": []} },
    { name: "delete all maps from empty merging list/TwoWay", original: {"mergingList": [{"name": 1}, {"name": 2}]}, patch: {"mergingList": [{"$patch": "delete", "name": 1}, {"$patch": "delete", "name": 2}]}, expected: {"mergingList": []} },
    { name: "defined null values should propagate overwrite current fields (with conflict)/TwoWay", original: {"name": 2}, patch: {"name": 1, "other": null, "value": 1}, expected: {"name": 1, "value": 1} },
    { name: "defined null values should propagate removing original fields/TwoWay", original: {"name": "original-name", "value": "original-value"}, patch: {"name": "modified-name", "value": null}, expected: {"name": "modified-name"} },
    { name: "retainKeys map with no change should not be present/TwoWay", original: {"name": "a", "retainKeysMap": {"name": "foo"}}, patch: {"value": "b"}, expected: {"name": "a", "retainKeysMap": {"name": "foo"}, "value": "b"} },
  ],
  "TestCustomStrategicMergePatch: customStrategicMergePatchRawTestCases": [
    { name: "$setElementOrder contains item that is not present in the list to be merged", original: {"mergingList": [{"name": 1}, {"name": 3}]}, patch: {"$setElementOrder/mergingList": [{"name": 3}, {"name": 2}, {"name": 1}], "mergingList": [{"name": 3, "value": 3}, {"name": 1, "value": 1}]}, expected: {"mergingList": [{"name": 3, "value": 3}, {"name": 1, "value": 1}]} },
    { name: "$setElementOrder contains item that is not present in the int list to be merged", original: {"mergingIntList": [1, 3]}, patch: {"$setElementOrder/mergingIntList": [3, 2, 1]}, expected: {"mergingIntList": [3, 1]} },
    { name: "should check if order in $setElementOrder and patch list match", original: {"mergingList": [{"name": 1}, {"name": 3}, {"name": 2}]}, patch: {"$setElementOrder/mergingList": [{"name": 1}, {"name": 2}, {"name": 3}], "mergingList": [{"name": 3, "value": 3}, {"name": 1, "value": 1}]}, error: "The order in patch list:\n[map[name:3 value:3] map[name:1 value:1]]\n doesn't match $setElementOrder list:\n[map[name:1] map[name:2] map[name:3]]\n" },
    { name: "missing merge key should error out", original: {"mergingList": [{"name": 1, "value": "a"}]}, patch: {"mergingList": [{"value": "b"}]}, error: "map: map[value:b] does not contain declared merge key: name" },
    { name: "$deleteFromPrimitiveList of nonexistent item in primitive list should not add the item to the list", original: {"mergingIntList": [1, 2]}, patch: {"$deleteFromPrimitiveList/mergingIntList": [3]}, expected: {"mergingIntList": [1, 2]} },
    { name: "$deleteFromPrimitiveList on empty primitive list should not add the item to the list", original: {"mergingIntList": null}, patch: {"$deleteFromPrimitiveList/mergingIntList": [3]}, expected: {"mergingIntList": null} },
    { name: "$deleteFromPrimitiveList on nonexistent primitive list should not add the primitive list", original: {"foo": ["bar"]}, patch: {"$deleteFromPrimitiveList/mergingIntList": [3]}, expected: {"foo": ["bar"]} },
    { name: "$deleteFromPrimitiveList should delete item from a list with merge patch strategy", original: {"mergingIntList": [1, 2, 3]}, patch: {"$deleteFromPrimitiveList/mergingIntList": [2]}, expected: {"mergingIntList": [1, 3]} },
    { name: "$deleteFromPrimitiveList should delete item from a list without merge patch strategy", original: {"nonMergingIntList": [1, 2, 3]}, patch: {"$deleteFromPrimitiveList/nonMergingIntList": [2]}, expected: {"nonMergingIntList": [1, 3]} },
  ],
  "TestCustomStrategicMergePatch: customStrategicMergePatchTestCaseData": [
    { name: "unique scalars when merging lists", original: {"mergingIntList": [1, 2]}, patch: {"mergingIntList": [2, 3]}, expected: {"mergingIntList": [1, 2, 3]} },
    { name: "delete map from nested map", original: {"simpleMap": {"key1": 1, "key2": 1}}, patch: {"simpleMap": {"$patch": "delete"}}, expected: {"simpleMap": {}} },
    { name: "delete all items from merging list", original: {"mergingList": [{"name": 1}, {"name": 2}]}, patch: {"mergingList": [{"$patch": "replace"}]}, expected: {"mergingList": []} },
    { name: "merge empty merging lists", original: {"mergingList": []}, patch: {"mergingList": []}, expected: {"mergingList": []} },
    { name: "delete all keys from map", original: {"name": 1, "value": 1}, patch: {"$patch": "replace"}, expected: {} },
    { name: "add key and delete all keys from map", original: {"name": 1, "value": 1}, patch: {"$patch": "replace", "other": "a"}, expected: {"other": "a"} },
    { name: "delete all duplicate entries in a merging list", original: {"mergingList": [{"name": 1}, {"name": 1}, {"name": 2, "value": "a"}, {"name": 3}, {"name": 3}]}, patch: {"mergingList": [{"$patch": "delete", "name": 1}, {"$patch": "delete", "name": 3}]}, expected: {"mergingList": [{"name": 2, "value": "a"}]} },
    { name: "retainKeys map can add a field when no retainKeys directive present", original: {"retainKeysMap": {"name": "foo"}}, patch: {"retainKeysMap": {"value": "bar"}}, expected: {"retainKeysMap": {"name": "foo", "value": "bar"}} },
    { name: "retainKeys map merge an empty map", original: {"retainKeysMap": {"name": "foo", "value": "a"}}, patch: {"retainKeysMap": {}}, expected: {"retainKeysMap": {"name": "foo", "value": "a"}} },
    { name: "retainKeys list can add a field when no retainKeys directive present", original: {"retainKeysMergingList": [{"name": "bar"}, {"name": "foo"}]}, patch: {"retainKeysMergingList": [{"name": "foo", "value": "a"}]}, expected: {"retainKeysMergingList": [{"name": "bar"}, {"name": "foo", "value": "a"}]} },
    { name: "preserve the order from the patch in a merging list", original: {"mergingList": [{"name": 1}, {"name": 2, "value": "b"}, {"name": 3}]}, patch: {"mergingList": [{"name": 3, "value": "c"}, {"name": 1, "value": "a"}, {"name": 2, "other": "x"}]}, expected: {"mergingList": [{"name": 3, "value": "c"}, {"name": 1, "value": "a"}, {"name": 2, "other": "x", "value": "b"}]} },
    { name: "preserve the order from the patch in a merging int list", original: {"mergingIntList": [1, 2, 3]}, patch: {"mergingIntList": [3, 1, 2]}, expected: {"mergingIntList": [3, 1, 2]} },
  ],
};

for (const [table, rows] of Object.entries(KUBE_CASES)) {
  describe(table, () => {
    for (const row of rows) test(row.name, () => check(row, MERGE_ITEM));
  });
}

const KIND_META: Record<string, PatchStruct> = {
  Pod: POD_PATCH_META,
  ConfigMap: CONFIG_MAP_PATCH_META,
  ServiceAccount: SERVICE_ACCOUNT_PATCH_META,
  Node: NODE_PATCH_META,
  Namespace: NAMESPACE_PATCH_META,
  ClusterRole: CLUSTER_ROLE_PATCH_META,
  RoleBinding: ROLE_BINDING_PATCH_META,
};

// handlers/patch.go interpretStrategicMergePatchError: these are 400 and 422; any other error is returned as is.
const BAD_REQUEST = new Set(['invalid patch format of primitive list', 'invalid patch format of retainKeys', 'invalid patch format of setElementOrder list']);
const INVALID = new Set(['lists of lists are not supported']);

const KIND_CASES: (Row & { kind: string; panics?: true })[] = [
  { name: "a two-container pod: one container's image changes, the other stays", kind: "Pod", original: {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "app", "image": "nginx:1.25"}, {"name": "sidecar", "image": "envoy:1.30"}]}}, patch: {"spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}}, expected: {"metadata": {"name": "p"}, "spec": {"containers": [{"image": "nginx:1.27", "name": "app"}, {"image": "envoy:1.30", "name": "sidecar"}]}} },
  { name: "kubectl set image: $setElementOrder/containers with the changed container", kind: "Pod", original: {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "app", "image": "nginx:1.25"}, {"name": "sidecar", "image": "envoy:1.30"}]}}, patch: {"spec": {"$setElementOrder/containers": [{"name": "app"}, {"name": "sidecar"}], "containers": [{"image": "envoy:1.31", "name": "sidecar"}]}}, expected: {"metadata": {"name": "p"}, "spec": {"containers": [{"image": "nginx:1.25", "name": "app"}, {"image": "envoy:1.31", "name": "sidecar"}]}} },
  { name: "$setElementOrder/containers reorders the containers", kind: "Pod", original: {"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}, {"name": "c", "image": "z"}]}}, patch: {"spec": {"$setElementOrder/containers": [{"name": "c"}, {"name": "a"}, {"name": "b"}]}}, expected: {"spec": {"containers": [{"image": "z", "name": "c"}, {"image": "x", "name": "a"}, {"image": "y", "name": "b"}]}} },
  { name: "env merges on name, ports on containerPort, volumeMounts on mountPath", kind: "Pod", original: {"spec": {"containers": [{"name": "a", "image": "x", "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}], "ports": [{"containerPort": 80, "protocol": "TCP"}], "volumeMounts": [{"name": "v", "mountPath": "/data"}]}]}}, patch: {"spec": {"containers": [{"name": "a", "env": [{"name": "B", "value": "3"}, {"name": "C", "value": "4"}], "ports": [{"containerPort": 443, "name": "https"}], "volumeMounts": [{"mountPath": "/data", "readOnly": true}]}]}}, expected: {"spec": {"containers": [{"env": [{"name": "A", "value": "1"}, {"name": "B", "value": "3"}, {"name": "C", "value": "4"}], "image": "x", "name": "a", "ports": [{"containerPort": 443, "name": "https"}, {"containerPort": 80, "protocol": "TCP"}], "volumeMounts": [{"mountPath": "/data", "name": "v", "readOnly": true}]}]}} },
  { name: "$patch: delete removes one container by name", kind: "Pod", original: {"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}}, patch: {"spec": {"containers": [{"name": "b", "$patch": "delete"}]}}, expected: {"spec": {"containers": [{"image": "x", "name": "a"}]}} },
  { name: "$patch: replace in the containers list replaces it", kind: "Pod", original: {"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}}, patch: {"spec": {"containers": [{"name": "c", "image": "z"}, {"$patch": "replace"}]}}, expected: {"spec": {"containers": [{"image": "z", "name": "c"}]}} },
  { name: "tolerations have no patch strategy: the list is replaced", kind: "Pod", original: {"spec": {"tolerations": [{"key": "a", "operator": "Exists"}, {"key": "b", "operator": "Exists"}]}}, patch: {"spec": {"tolerations": [{"key": "c", "operator": "Exists"}]}}, expected: {"spec": {"tolerations": [{"key": "c", "operator": "Exists"}]}} },
  { name: "volumes merge on name with retainKeys: $retainKeys clears the old volume source", kind: "Pod", original: {"spec": {"volumes": [{"name": "v", "emptyDir": {}}, {"name": "w", "hostPath": {"path": "/w"}}]}}, patch: {"spec": {"volumes": [{"name": "v", "$retainKeys": ["configMap", "name"], "configMap": {"name": "cm"}}]}}, expected: {"spec": {"volumes": [{"configMap": {"name": "cm"}, "name": "v"}, {"hostPath": {"path": "/w"}, "name": "w"}]}} },
  { name: "imagePullSecrets merge on name", kind: "Pod", original: {"spec": {"imagePullSecrets": [{"name": "a"}]}}, patch: {"spec": {"imagePullSecrets": [{"name": "b"}]}}, expected: {"spec": {"imagePullSecrets": [{"name": "b"}, {"name": "a"}]}} },
  { name: "metadata.finalizers merge as a set; $deleteFromPrimitiveList removes one", kind: "Pod", original: {"metadata": {"finalizers": ["a", "b"]}}, patch: {"metadata": {"finalizers": ["c", "a"], "$deleteFromPrimitiveList/finalizers": ["b"]}}, expected: {"metadata": {"finalizers": ["c", "a"]}} },
  { name: "metadata.ownerReferences merge on uid", kind: "ConfigMap", original: {"metadata": {"ownerReferences": [{"uid": "1", "name": "a", "kind": "K", "apiVersion": "v1"}]}}, patch: {"metadata": {"ownerReferences": [{"uid": "2", "name": "b", "kind": "K", "apiVersion": "v1"}]}}, expected: {"metadata": {"ownerReferences": [{"apiVersion": "v1", "kind": "K", "name": "b", "uid": "2"}, {"apiVersion": "v1", "kind": "K", "name": "a", "uid": "1"}]}} },
  { name: "null deletes a label; data keys merge", kind: "ConfigMap", original: {"metadata": {"labels": {"a": "1", "b": "2"}}, "data": {"x": "1"}}, patch: {"metadata": {"labels": {"a": null, "c": "3"}}, "data": {"y": "2"}}, expected: {"data": {"x": "1", "y": "2"}, "metadata": {"labels": {"b": "2", "c": "3"}}} },
  { name: "ServiceAccount secrets merge on name", kind: "ServiceAccount", original: {"secrets": [{"name": "a"}], "imagePullSecrets": [{"name": "x"}]}, patch: {"secrets": [{"name": "b"}], "imagePullSecrets": [{"name": "y"}]}, expected: {"imagePullSecrets": [{"name": "y"}], "secrets": [{"name": "b"}, {"name": "a"}]} },
  { name: "Node status conditions and addresses merge on type; podCIDRs as a set", kind: "Node", original: {"spec": {"podCIDRs": ["10.0.0.0/24"]}, "status": {"conditions": [{"type": "Ready", "status": "False"}, {"type": "DiskPressure", "status": "False"}], "addresses": [{"type": "InternalIP", "address": "10.0.0.1"}]}}, patch: {"spec": {"podCIDRs": ["10.0.1.0/24"]}, "status": {"conditions": [{"type": "Ready", "status": "True"}], "addresses": [{"type": "Hostname", "address": "n1"}]}}, expected: {"spec": {"podCIDRs": ["10.0.1.0/24", "10.0.0.0/24"]}, "status": {"addresses": [{"address": "n1", "type": "Hostname"}, {"address": "10.0.0.1", "type": "InternalIP"}], "conditions": [{"status": "True", "type": "Ready"}, {"status": "False", "type": "DiskPressure"}]}} },
  { name: "Namespace status conditions merge on type", kind: "Namespace", original: {"spec": {"finalizers": ["kubernetes"]}, "status": {"conditions": [{"type": "A", "status": "True"}]}}, patch: {"spec": {"finalizers": ["x"]}, "status": {"conditions": [{"type": "B", "status": "True"}]}}, expected: {"spec": {"finalizers": ["x"]}, "status": {"conditions": [{"status": "True", "type": "B"}, {"status": "True", "type": "A"}]}} },
  { name: "ClusterRole rules have no patch strategy: replaced", kind: "ClusterRole", original: {"rules": [{"verbs": ["get"], "apiGroups": [""], "resources": ["pods"]}]}, patch: {"rules": [{"verbs": ["list"], "apiGroups": [""], "resources": ["pods"]}]}, expected: {"rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["list"]}]} },
  { name: "RoleBinding subjects have no patch strategy: replaced", kind: "RoleBinding", original: {"subjects": [{"kind": "User", "name": "a"}], "roleRef": {"kind": "Role", "name": "r", "apiGroup": "rbac.authorization.k8s.io"}}, patch: {"subjects": [{"kind": "User", "name": "b"}]}, expected: {"roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"}, "subjects": [{"kind": "User", "name": "b"}]} },
  { name: "a container without its merge key", kind: "Pod", original: {"spec": {"containers": [{"name": "a", "image": "x"}]}}, patch: {"spec": {"containers": [{"image": "y"}]}}, error: "map: map[image:y] does not contain declared merge key: name" },
  { name: "a volume without its merge key", kind: "Pod", original: {"spec": {"volumes": [{"name": "a", "emptyDir": {}}]}}, patch: {"spec": {"volumes": [{"hostPath": {"path": "/var/lib/kubelet/pods"}}]}}, error: "map: map[hostPath:map[path:/var/lib/kubelet/pods]] does not contain declared merge key: name" },
  { name: "an unknown $patch directive", kind: "Pod", original: {"spec": {"containers": [{"name": "a", "image": "x"}]}}, patch: {"spec": {"$patch": "frobnicate", "x": 1}}, error: "unknown patch type: frobnicate in map: map[$patch:frobnicate x:1]" },
  { name: "$patch: merge in a list", kind: "Pod", original: {"spec": {"containers": [{"name": "a", "image": "x"}]}}, patch: {"spec": {"containers": [{"$patch": "merge"}]}}, error: "merging lists cannot yet be specified in the patch" },
  { name: "a list of lists in a merged list", kind: "Pod", original: {"metadata": {"finalizers": []}}, patch: {"metadata": {"finalizers": [["b"]]}}, error: "lists of lists are not supported" },
  { name: "$retainKeys that is not a list", kind: "Pod", original: {"spec": {"volumes": [{"name": "v", "emptyDir": {}}]}}, patch: {"spec": {"volumes": [{"name": "v", "$retainKeys": "name"}]}}, error: "invalid patch format of retainKeys" },
  { name: "a field the patch sets outside $retainKeys", kind: "Pod", original: {"spec": {"volumes": [{"name": "v", "emptyDir": {}}]}}, patch: {"spec": {"volumes": [{"name": "v", "$retainKeys": ["name"], "hostPath": {"path": "/x"}}]}}, error: "invalid patch format of retainKeys" },
  { name: "$deleteFromPrimitiveList without a field name separator", kind: "Pod", original: {"metadata": {"finalizers": ["a"]}}, patch: {"metadata": {"$deleteFromPrimitiveListfinalizers": ["a"]}}, error: "invalid patch format of primitive list" },
  { name: "$setElementOrder that is not a list", kind: "Pod", original: {"spec": {"containers": [{"name": "a", "image": "x"}]}}, patch: {"spec": {"$setElementOrder/containers": {"name": "a"}}}, error: "expected a []interface {}, but received a map[string]interface {}" },
  { name: "$setElementOrder that does not match the patch list's order", kind: "Pod", original: {"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}}, patch: {"spec": {"$setElementOrder/containers": [{"name": "a"}, {"name": "b"}], "containers": [{"name": "b", "image": "y2"}, {"name": "a", "image": "x2"}]}}, error: "The order in patch list:\n[map[image:y2 name:b] map[image:x2 name:a]]\n doesn't match $setElementOrder list:\n[map[name:a] map[name:b]]\n" },
  { name: "finalizers with mixed element types", kind: "Pod", original: {"metadata": {"finalizers": ["a"]}}, patch: {"metadata": {"finalizers": [1]}}, error: "list element types are not identical: [[a] [1]]" },
  { name: "finalizers merged with an object element", kind: "Pod", original: {"metadata": {"finalizers": []}}, patch: {"metadata": {"finalizers": [{"a": 1}]}}, error: "cannot merge lists without merge key for string" },
  { name: "a merge-key value that is a map, matched against another map", kind: "Pod", original: {"spec": {"containers": [{"name": {"x": 1}, "image": "x"}]}}, patch: {"spec": {"containers": [{"name": {"x": 1}, "image": "y"}]}}, panics: true },
  { name: "a null first element in a merged list", kind: "Pod", original: {"metadata": {"finalizers": []}}, patch: {"metadata": {"finalizers": [null]}}, panics: true },
  { name: "nulls and $patch maps in a new field are dropped", kind: "Pod", original: {"spec": {}}, patch: {"spec": {"affinity": {"nodeAffinity": null, "podAffinity": {"$patch": "delete"}, "x": {"y": null, "z": 1}}}}, expected: {"spec": {"affinity": {"x": {"z": 1}}}} },
  { name: "a $patch: replace map replaces the map as sent", kind: "Pod", original: {"spec": {"securityContext": {"runAsUser": 1, "runAsGroup": 2}}}, patch: {"spec": {"securityContext": {"$patch": "replace", "runAsUser": 3}}}, expected: {"spec": {"securityContext": {"runAsUser": 3}}} },
  { name: "a $patch: delete map empties it", kind: "Pod", original: {"spec": {"securityContext": {"runAsUser": 1}}}, patch: {"spec": {"securityContext": {"$patch": "delete"}}}, expected: {"spec": {"securityContext": {}}} },
  { name: "deletes (the last container among them), an addition and $setElementOrder in one patch", kind: "Pod", original: {"spec": {"containers": [{"name": "a", "image": "ia"}, {"name": "b", "image": "ib"}, {"name": "c", "image": "ic"}, {"name": "d", "image": "id"}, {"name": "e", "image": "ie"}]}}, patch: {"spec": {"$setElementOrder/containers": [{"name": "f"}, {"name": "b"}, {"name": "d"}], "containers": [{"name": "e", "$patch": "delete"}, {"name": "f", "image": "if"}, {"name": "a", "$patch": "delete"}, {"name": "c", "$patch": "delete"}]}}, expected: {"spec": {"containers": [{"image": "if", "name": "f"}, {"image": "ib", "name": "b"}, {"image": "id", "name": "d"}]}} },
  { name: "a container deleted and added again, with $setElementOrder", kind: "Pod", original: {"spec": {"containers": [{"name": "a", "image": "ia"}, {"name": "b", "image": "ib"}, {"name": "c", "image": "ic"}]}}, patch: {"spec": {"$setElementOrder/containers": [{"name": "c"}, {"name": "a"}, {"name": "b"}], "containers": [{"name": "a", "$patch": "delete"}, {"name": "a", "image": "new"}]}}, expected: {"spec": {"containers": [{"image": "ic", "name": "c"}, {"image": "new", "name": "a"}, {"image": "ib", "name": "b"}]}} },
  { name: "two stored containers with one name, both deleted, others reordered", kind: "Pod", original: {"spec": {"containers": [{"name": "x", "image": "1"}, {"name": "y", "image": "2"}, {"name": "x", "image": "3"}, {"name": "z", "image": "4"}]}}, patch: {"spec": {"$setElementOrder/containers": [{"name": "z"}, {"name": "y"}], "containers": [{"name": "x", "$patch": "delete"}]}}, expected: {"spec": {"containers": [{"image": "4", "name": "z"}, {"image": "2", "name": "y"}]}} },
  { name: "finalizers with a repeat and an empty patch list under $setElementOrder", kind: "Pod", original: {"metadata": {"finalizers": ["a", "b", "a", "c", "b"]}}, patch: {"metadata": {"$setElementOrder/finalizers": ["c", "a"], "finalizers": []}}, expected: {"metadata": {"finalizers": ["b", "c", "a"]}} },
  { name: "many containers: additions interleaved by $setElementOrder", kind: "Pod", original: {"spec": {"containers": [{"name": "s0", "image": "is0"}, {"name": "s1", "image": "is1"}, {"name": "s2", "image": "is2"}, {"name": "s3", "image": "is3"}, {"name": "s4", "image": "is4"}, {"name": "s5", "image": "is5"}, {"name": "s6", "image": "is6"}, {"name": "s7", "image": "is7"}, {"name": "s8", "image": "is8"}, {"name": "s9", "image": "is9"}, {"name": "s10", "image": "is10"}, {"name": "s11", "image": "is11"}, {"name": "s12", "image": "is12"}, {"name": "s13", "image": "is13"}, {"name": "s14", "image": "is14"}, {"name": "s15", "image": "is15"}, {"name": "s16", "image": "is16"}, {"name": "s17", "image": "is17"}, {"name": "s18", "image": "is18"}, {"name": "s19", "image": "is19"}, {"name": "s20", "image": "is20"}, {"name": "s21", "image": "is21"}, {"name": "s22", "image": "is22"}, {"name": "s23", "image": "is23"}, {"name": "s24", "image": "is24"}, {"name": "s25", "image": "is25"}, {"name": "s26", "image": "is26"}, {"name": "s27", "image": "is27"}, {"name": "s28", "image": "is28"}, {"name": "s29", "image": "is29"}]}}, patch: {"spec": {"$setElementOrder/containers": [{"name": "n0"}, {"name": "s1"}, {"name": "s2"}, {"name": "n3"}, {"name": "s4"}, {"name": "s5"}, {"name": "n6"}, {"name": "s7"}, {"name": "s8"}, {"name": "n9"}, {"name": "s10"}, {"name": "s11"}, {"name": "n12"}, {"name": "s13"}, {"name": "s14"}, {"name": "n15"}, {"name": "s16"}, {"name": "s17"}, {"name": "n18"}, {"name": "s19"}, {"name": "s20"}, {"name": "n21"}, {"name": "s22"}, {"name": "s23"}, {"name": "n24"}, {"name": "s25"}, {"name": "s26"}, {"name": "n27"}, {"name": "s28"}, {"name": "s29"}], "containers": [{"name": "n0", "image": "n"}, {"name": "n3", "image": "n"}, {"name": "n6", "image": "n"}, {"name": "n9", "image": "n"}, {"name": "n12", "image": "n"}, {"name": "n15", "image": "n"}, {"name": "n18", "image": "n"}, {"name": "n21", "image": "n"}, {"name": "n24", "image": "n"}, {"name": "n27", "image": "n"}, {"name": "s5", "$patch": "delete"}, {"name": "s29", "$patch": "delete"}]}}, expected: {"spec": {"containers": [{"image": "is0", "name": "s0"}, {"image": "is3", "name": "s3"}, {"image": "is6", "name": "s6"}, {"image": "is9", "name": "s9"}, {"image": "is12", "name": "s12"}, {"image": "is15", "name": "s15"}, {"image": "is18", "name": "s18"}, {"image": "is21", "name": "s21"}, {"image": "is24", "name": "s24"}, {"image": "is27", "name": "s27"}, {"image": "n", "name": "n0"}, {"image": "is1", "name": "s1"}, {"image": "is2", "name": "s2"}, {"image": "n", "name": "n3"}, {"image": "is4", "name": "s4"}, {"image": "n", "name": "n6"}, {"image": "is7", "name": "s7"}, {"image": "is8", "name": "s8"}, {"image": "n", "name": "n9"}, {"image": "is10", "name": "s10"}, {"image": "is11", "name": "s11"}, {"image": "n", "name": "n12"}, {"image": "is13", "name": "s13"}, {"image": "is14", "name": "s14"}, {"image": "n", "name": "n15"}, {"image": "is16", "name": "s16"}, {"image": "is17", "name": "s17"}, {"image": "n", "name": "n18"}, {"image": "is19", "name": "s19"}, {"image": "is20", "name": "s20"}, {"image": "n", "name": "n21"}, {"image": "is22", "name": "s22"}, {"image": "is23", "name": "s23"}, {"image": "n", "name": "n24"}, {"image": "is25", "name": "s25"}, {"image": "is26", "name": "s26"}, {"image": "n", "name": "n27"}, {"image": "is28", "name": "s28"}]}} },
];

describe('the served kinds\' patch metadata, as kube merges their Go types', () => {
  for (const row of KIND_CASES) {
    test(`${row.kind}: ${row.name}`, () => {
      const meta = KIND_META[row.kind]!;
      if (row.panics) {
        assert.throws(() => strategicMergePatch(row.original, row.patch, meta), GoPanic);
        return;
      }
      check(row, meta);
      if (row.error !== undefined) {
        const kind = BAD_REQUEST.has(row.error) ? 'BadRequest' : INVALID.has(row.error) ? 'Invalid' : 'Unknown';
        assert.throws(() => strategicMergePatch(row.original, row.patch, meta), (err: unknown) => err instanceof StrategicMergeError && err.kind === kind);
      }
    });
  }
});

describe('strategicMergePatch', () => {
  test('leaves its arguments unchanged', () => {
    const original = { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } };
    const patch = { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'b', $patch: 'delete' }, { name: 'a', image: 'z' }] } };
    const before = [structuredClone(original), structuredClone(patch)];
    strategicMergePatch(original, patch, POD_PATCH_META);
    assert.deepStrictEqual([original, patch], before);
  });

  test('a patch nested 10000 levels deep into a stored value as deep merges without overflowing the stack', () => {
    const nest = (depth: number, leaf: unknown): Json => {
      let v: unknown = leaf;
      for (let i = 0; i < depth; i++) v = { a: v };
      return v as Json;
    };
    const result = strategicMergePatch({ spec: nest(10000, 1) }, { spec: nest(10000, { $patch: 'delete' }) }, POD_PATCH_META);
    // As in kube: at the bottom the "$patch" map replaces the number, and is dropped with its key.
    let v: unknown = result.spec;
    let depth = 0;
    while (typeof v === 'object' && v !== null && 'a' in v) {
      v = (v as Json).a;
      depth++;
    }
    assert.equal(depth, 9999);
    assert.deepStrictEqual(v, {});
  });
});

// fmt's %v and %s, as a Go program printed them (go1.24).
const GO_PRINTED: [unknown, 'v' | 's', string][] = [
  [1000000.5, 'v', '1.0000005e+06'],
  [1234567.5, 'v', '1.2345675e+06'],
  [123456.7, 'v', '123456.7'],
  [0.0001, 'v', '0.0001'],
  [0.00001, 'v', '1e-05'],
  [2.5e-7, 'v', '2.5e-07'],
  [1.5, 's', '%!s(float64=1.5)'],
  [{ b: 1, a: ['x', null, true], c: { z: 1.5 } }, 'v', 'map[a:[x <nil> true] b:1 c:map[z:1.5]]'],
  [{ b: 1, a: ['x', null, true], c: { z: 1.5 } }, 's', 'map[a:[x <nil> %!s(bool=true)] b:%!s(int64=1) c:map[z:%!s(float64=1.5)]]'],
  [[['a', 1], []], 'v', '[[a 1] []]'],
  [null, 's', '%!s(<nil>)'],
  [3, 's', '%!s(int64=3)'],
];

describe('goSprint prints as Go\'s fmt does', () => {
  for (const [value, verb, printed] of GO_PRINTED) test(`%${verb} of ${JSON.stringify(value)}`, () => assert.equal(goSprint(value, verb), printed));
});
