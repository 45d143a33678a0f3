// Go's net.JoinHostPort, which every "host:port" the project prints or dials follows.

/** A host as it stands before ":port" or in a URL: an IPv6 address in brackets. */
export function bracketHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Go's net.JoinHostPort: host:port, an IPv6 host in brackets. */
export function joinHostPort(host: string, port: number | string): string {
  return `${bracketHost(host)}:${port}`;
}
