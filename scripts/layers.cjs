// The layers of src/, top to bottom: a module may import its own folder and any layer below, never above.
// .dependency-cruiser.cjs turns this into rules; scripts/import-graph.mjs draws it in docs/architecture.md.
exports.LAYERS = [
  ['cli'],
  ['server', 'webhook', 'handshake'],
  ['filters', 'ui'],
  ['api'],
  ['request', 'inspect', 'scenarios'],
  ['authn', 'authz', 'store', 'pki', 'kubeconfig', 'audit', 'tls'],
  ['apimachinery'],
  ['util'],
];
// Sideways imports inside a layer, each for a reason kube has too.
exports.SIDEWAYS = {
  authz: ['authn'], // an authorizer reads the authenticated user (kube: authorizer imports authentication/user)
  kubeconfig: ['pki', 'authn'], // minting an identity issues a certificate or adds a token or password line
};
