// The live view (--ui): a filter that records each request, and a loopback page that shows them as they happen.
// The server wires it in (src/server/start.ts) only when asked; docs/live-view.md explains the page.
import { explain } from '../authz/rbac/explain.js';
import type { RbacIndex } from '../authz/rbac/binding-index.js';
import type { KubeMiddleware } from '../request/state.js';
import { liveViewCapture } from './capture.js';
import { DEFAULT_HISTORY, LiveRecorder } from './recorder.js';
import { checkLiveViewHost, startLiveView, type LiveViewServer } from './server.js';

export type { DescribeCertificate } from './server.js';
export type { LiveRequest } from './event.js';
export { isLoopbackAddress, startLiveView, type LiveViewServer } from './server.js';
export { LiveRecorder } from './recorder.js';
export { liveViewCapture } from './capture.js';

/** The live view's options (startServer's `ui`). */
export interface LiveViewStartOptions {
  /** --ui-port; 0 (the default) picks a free one. */
  port?: number;
  /** A loopback address to listen on (127.0.0.0/8 or ::1). Default 127.0.0.1; any other is refused at start. */
  host?: string;
  /** How many recent requests a page opened later is shown. Default 200. */
  history?: number;
  /** Explains a certificate (PEM) when it is clicked; default: the inspector's explanation (describeCertificatePem of src/inspect). */
  describeCertificate?: (pem: string) => string;
}

/** A running live view: the filter for the chain, and the page's listener. */
export interface LiveView {
  capture: KubeMiddleware;
  server: LiveViewServer;
  recorder: LiveRecorder;
}

/** Checks the options before anything listens (a bad host is a start-up error naming the flag). */
export function checkLiveViewOptions(options: LiveViewStartOptions): void {
  checkLiveViewHost(options.host ?? '127.0.0.1');
}

/** Starts the page's listener and makes the filter; `rbacIndex` is read at each request (the policy is live), absent when RBAC is not a mode. */
export async function openLiveView(options: LiveViewStartOptions, rbacIndex?: () => RbacIndex): Promise<LiveView> {
  const recorder = new LiveRecorder(options.history ?? DEFAULT_HISTORY);
  const server = await startLiveView({
    recorder,
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.describeCertificate ? { describeCertificate: options.describeCertificate } : {}),
  });
  const capture = liveViewCapture({ recorder, ...(rbacIndex ? { explain: (attrs) => explain(rbacIndex(), attrs) } : {}) });
  return { capture, server, recorder };
}
