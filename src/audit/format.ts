// --audit-log-format legacy: kube's one-line text form of an event, audit.EventString
// (staging/src/k8s.io/apiserver/pkg/audit/format.go, k8s.io/apiserver v0.34.4), which the log backend writes with a
// newline (plugin/pkg/audit/log/backend.go) and HandlePluginError prints under "Impacted events:".
import { goQuote } from '../apimachinery/validation.js';
import type { AuditEvent } from './event.js';

/** auditStringSlice: each element %q-quoted, joined by commas. */
function stringSlice(list: readonly string[]): string {
  return list.map(goQuote).join(',');
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * RequestReceivedTimestamp.Format(time.RFC3339Nano): the server's local time (metav1.NewMicroTime(time.Now()) keeps
 * time.Local), the fraction without trailing zeros (none at all when zero), the offset "Z" in UTC or "+hh:mm".
 */
export function rfc3339NanoLocal(micros: number): string {
  const d = new Date(Math.floor(micros / 1000));
  const fraction = String(((micros % 1_000_000) + 1_000_000) % 1_000_000).padStart(6, '0').replace(/0+$/, '');
  const offset = -d.getTimezoneOffset();
  const zone = offset === 0 ? 'Z' : `${offset > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return (
    `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` +
    `${fraction === '' ? '' : `.${fraction}`}${zone}`
  );
}

/** audit.EventString: a 1-line text representation of an event, using a subset of its fields. */
export function eventString(ev: AuditEvent): string {
  let username = '<none>';
  let groups = '<none>';
  if ((ev.user.username ?? '') !== '') {
    username = ev.user.username!;
    if ((ev.user.groups ?? []).length > 0) groups = stringSlice(ev.user.groups!);
  }
  let asuser = '<self>';
  let asgroups = '<lookup>';
  if (ev.impersonatedUser !== undefined) {
    asuser = ev.impersonatedUser.username ?? '';
    // Go tests Groups != nil: an empty list prints as "", no list as <lookup>.
    if (ev.impersonatedUser.groups !== undefined) asgroups = stringSlice(ev.impersonatedUser.groups);
  }
  const namespace = ev.objectRef?.namespace ? ev.objectRef.namespace : '<none>';
  const response = ev.responseStatus !== undefined ? String(ev.responseStatus.code ?? 0) : '<deferred>';
  const ip = ev.sourceIPs !== undefined && ev.sourceIPs.length > 0 ? ev.sourceIPs[0]! : '<unknown>';
  const q = goQuote;
  return (
    `${rfc3339NanoLocal(ev.requestReceivedMicros)} AUDIT: id=${q(ev.auditID)} stage=${q(ev.stage)} ip=${q(ip)} method=${q(ev.verb)} ` +
    `user=${q(username)} groups=${q(groups)} as=${q(asuser)} asgroups=${q(asgroups)} user-agent=${q(ev.userAgent ?? '')} ` +
    `namespace=${q(namespace)} uri=${q(ev.requestURI)} response="${response}"`
  );
}
