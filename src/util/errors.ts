/** Stable codes for configuration errors, so tests and callers can match on them. */
export type ConfigErrorCode =
  | 'CSV_SYNTAX'
  | 'CSV_FIELDS'
  | 'CSV_DUPLICATE'
  | 'FILE_UNREADABLE'
  | 'FILE_TOO_LARGE'
  | 'FLAG_INVALID'
  | 'KUBECONFIG_INVALID'
  | 'RBAC_POLICY_SYNTAX'
  | 'RBAC_POLICY_INVALID'
  | 'AUDIT_POLICY_INVALID';

/** A configuration problem that names the file (and line) that is wrong. */
export class ConfigError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  readonly reason: string;
  readonly code: ConfigErrorCode;

  constructor(opts: { file: string; line?: number; reason: string; code: ConfigErrorCode }) {
    super(opts.line === undefined ? `${opts.file}: ${opts.reason}` : `${opts.file}:${opts.line}: ${opts.reason}`);
    this.name = 'ConfigError';
    this.file = opts.file;
    this.line = opts.line;
    this.reason = opts.reason;
    this.code = opts.code;
  }
}

/** Stable codes for PKI problems found at start-up. */
export type PkiErrorCode =
  | 'PKI_UNREADABLE'
  | 'PKI_CORRUPT'
  | 'PKI_KEY_MISMATCH'
  | 'PKI_EXPIRED'
  | 'PKI_NOT_CA'
  | 'PKI_INCOMPLETE'
  | 'PKI_WRONG_ISSUER'
  | 'PKI_UNSUPPORTED';

/** A problem with a certificate or key on disk; names the file and what is wrong with it. */
export class PkiError extends Error {
  readonly file: string;
  readonly code: PkiErrorCode;

  constructor(file: string, code: PkiErrorCode, reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'PkiError';
    this.file = file;
    this.code = code;
  }
}

/** The server could not listen on its address (in use, not on this host, not permitted); the message names it. */
export class ListenError extends Error {
  readonly code: string | undefined;
  /** Which listener failed, as the CLI flags that place it name it, so the CLI can say what to change. */
  readonly listener: { portFlag: string; port: number; addressFlag?: string; address: string } | undefined;

  constructor(message: string, code: string | undefined, listener?: ListenError['listener']) {
    super(message);
    this.name = 'ListenError';
    this.code = code;
    this.listener = listener;
  }
}

// Go's syscall.Errno texts for what listen(2) and bind(2) fail with (zerrors_linux.go), so that the message reads
// as kube-apiserver's: "listen tcp 127.0.0.1:6443: bind: address already in use".
const GO_BIND_ERRNO: Readonly<Record<string, string>> = {
  EADDRINUSE: 'address already in use',
  EADDRNOTAVAIL: 'cannot assign requested address',
  EACCES: 'permission denied',
};

/**
 * "failed to listen on HOST:PORT: ..." as kube-apiserver's CreateListener words it, the cause in Go's net.OpError
 * words when the errno is one Go names, else node's own message.
 */
export function failedToListenMessage(hostPort: string, err: NodeJS.ErrnoException): string {
  const text = err.code === undefined ? undefined : GO_BIND_ERRNO[err.code];
  return `failed to listen on ${hostPort}: ${text === undefined ? err.message : `listen tcp ${hostPort}: bind: ${text}`}`;
}
