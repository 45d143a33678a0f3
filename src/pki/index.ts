// The built-in PKI's public surface; the modules behind it are internal.
export {
  DEFAULT_KEY_BITS,
  generateRsaKey,
  keyPairFromPrivateKeyPem,
  takeKey,
  type KeyPair,
} from './keys.js';
export {
  DEFAULT_SERVING_SANS,
  ipToBytes,
  parseSans,
  profileExtensions,
  serialFromBytes,
  type CertProfile,
  type ExtKeyUsageName,
  type ForgeExtension,
  type ProfileInput,
  type SanEntry,
} from './profiles.js';
export {
  createCa,
  issueClientCert,
  issueCustomCert,
  issueServingCert,
  type CertSubject,
  type ClientCertOptions,
  type CreateCaOptions,
  type CustomCertOptions,
  type IssuedCert,
  type ServingCertOptions,
  type ValidityOptions,
} from './issue.js';
export {
  ADMIN_IDENTITY,
  PKI_FILE_NAMES,
  FRONT_PROXY_CA_COMMON_NAME,
  FRONT_PROXY_CLIENT_COMMON_NAME,
  issueClient,
  loadOrInitPki,
  type LoadOrInitPkiOptions,
  type Pki,
  type StoredPki,
} from './store.js';
export { createInMemoryPki, type InMemoryPkiOptions } from './memory.js';
