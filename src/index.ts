// The public surface of kube-auth-mock: start a server, mint identities, use the PKI and kubeconfig helpers.
export { startServer, DEFAULT_API_AUDIENCES, type InClusterFiles, type KubeAuthMockServer, type ServiceAccountTokenOptions, type StartServerOptions } from './server/start.js';
export type { DemoIdentity } from './server/demo-identities.js';
export type { IdentityRequest } from './kubeconfig/mint.js';
export { renderKubeconfig, type KubeconfigCredentials, type KubeconfigSpec } from './kubeconfig/kubeconfig.js';
export {
  createCa,
  createInMemoryPki,
  issueClientCert,
  issueServingCert,
  loadOrInitPki,
  DEFAULT_SERVING_SANS,
  type IssuedCert,
  type Pki,
  type StoredPki,
} from './pki/index.js';
export type { UserInfo } from './authn/types.js';
export { runHandshake, type HandshakeOptions, type HandshakeReport, type Identity as HandshakeIdentity, type Step as HandshakeStep, type Verdict as HandshakeVerdict } from './handshake/run.js';
export { renderReport as renderHandshakeReport } from './handshake/render.js';
export { ConfigError, PkiError } from './util/errors.js';
export type { LogFormat, Logger } from './util/log.js';
export { startWebhook, type KubeAuthMockWebhook, type ReceivedReview, type WebhookOptions } from './webhook/receiver.js';
export { parseWebhookScript, WebhookScriptError, type WebhookScript } from './webhook/script.js';
export {
  buildScenario,
  fillMessage,
  messagePattern,
  scenarioInfo,
  SCENARIO_NAMES,
  SCENARIOS,
  ScenarioError,
  type BuildScenarioOptions,
  type BuiltScenario,
  type ScenarioFile,
  type ScenarioInfo,
  type ScenarioName,
} from './scenarios/index.js';
export {
  describeCertificatePem,
  inspectInput,
  renderInspectReport,
  type CertificateItem,
  type CheckResult,
  type CsrItem,
  type InspectOptions,
  type InspectReport,
  type Item as InspectItem,
  type JwtItem,
  type KubeconfigItem,
  type KubeIdentity,
  type PrivateKeyItem,
  type PublicKeyItem,
} from './inspect/index.js';
export type { LiveRequest, LiveViewStartOptions } from './ui/index.js';
