// The /version document (k8s.io/apimachinery/pkg/version.Info).

/** The Kubernetes version reported by default: a current minor. */
export const DEFAULT_KUBERNETES_VERSION = 'v1.33.0';

/** kube's version.Info for a given "vMAJOR.MINOR.PATCH" version. */
export function versionInfo(gitVersion: string): object {
  const match = /^v?(\d+)\.(\d+)/.exec(gitVersion);
  return {
    major: match?.[1] ?? '1',
    minor: match?.[2] ?? '0',
    gitVersion: gitVersion.startsWith('v') ? gitVersion : `v${gitVersion}`,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'kube-auth-mock',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}
