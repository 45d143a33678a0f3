// The @kubernetes/client-node the end-to-end tests drive. By default the root devDependency (1.x, which runs on
// Node 20); test/e2e/node-lts.test.ts sets KAM_CLIENT_NODE to 2.x's entry (test/node-lts) when it runs the same
// tests on the LTS Node, because 2.x does not load on Node 20. Typed as 1.x: the tests use only what both share.
export const clientNodeModule = process.env.KAM_CLIENT_NODE ?? '@kubernetes/client-node';

export const k8s: typeof import('@kubernetes/client-node') = await import(clientNodeModule);
