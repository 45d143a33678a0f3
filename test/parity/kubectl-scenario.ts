// The kubectl scenario format: kubectl command lines run by one identity of the fixed set-up
// (test/parity/setup.ts) against a server, whose exit code, stdout and stderr are recorded line by line for
// each kubectl version (the reference's answers printed by kubectl 1.33 and 1.37) and replayed against the mock.
import type { IdentityName, UnrecordedRequest } from './scenario.js';

/** The identities a kubeconfig is written for: the set-up's certificates and tokens, and a token no server knows. */
export type KubectlIdentity = Extract<IdentityName, 'admin' | 'jane' | 'alice' | 'bob' | 'bad-token'>;

export const KUBECTL_IDENTITIES: readonly KubectlIdentity[] = ['admin', 'jane', 'alice', 'bob', 'bad-token'];

/** One kubectl run: its arguments (after --kubeconfig and --cache-dir, which the runner adds), as whom, its stdin. */
export interface KubectlCommand {
  as: KubectlIdentity;
  args: readonly string[];
  stdin?: string;
  /**
   * Keeps the stdout lines the scenario is about, the same way for both servers (the header line is index 0):
   * the real server serves many resources the mock does not, so api-resources keeps the kinds the mock serves.
   */
  keepStdout?: (line: string, index: number) => boolean;
}

/** A named kubectl scenario: set-up requests (not recorded), the commands, clean-up (always run, not recorded). */
export interface KubectlScenario {
  /** kebab-case, unique: the snapshot's file name */
  name: string;
  /** what the scenario shows, one line */
  description: string;
  setup?: readonly UnrecordedRequest[];
  commands: readonly KubectlCommand[];
  cleanup?: readonly UnrecordedRequest[];
}

/** The group of every kubectl scenario id (`kubectl/<name>`), as known-differences.yaml names them. */
export const KUBECTL_GROUP = 'kubectl';

export function kubectlScenarioId(scenario: Pick<KubectlScenario, 'name'>): string {
  return `${KUBECTL_GROUP}/${scenario.name}`;
}

/** True for the ids of kubectl scenarios, which the HTTP replay leaves to the kubectl replay. */
export function isKubectlScenarioId(id: string): boolean {
  return id.startsWith(`${KUBECTL_GROUP}/`);
}
