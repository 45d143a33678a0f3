// Reads the live view's Server-Sent Events the way the page does, so tests wait for a request's row instead of sleeping.
import { get, type ClientRequest, type IncomingMessage } from 'node:http';
import type { LiveRequest } from '../../src/ui/index.js';

/** A stream of the live view's requests: the history first, then each new one. */
export interface LiveEvents {
  /** Resolves with the first request (seen so far or to come) that matches. */
  waitFor(match: (r: LiveRequest) => boolean): Promise<LiveRequest>;
  /** Resolves once the history has been sent (the "ready" event). */
  ready: Promise<void>;
  seen(): LiveRequest[];
  close(): void;
}

/** Opens /events of a live view. */
export function liveEvents(uiUrl: string): LiveEvents {
  const seen: LiveRequest[] = [];
  const waiters: { match: (r: LiveRequest) => boolean; resolve: (r: LiveRequest) => void }[] = [];
  let req: ClientRequest | undefined;
  let res: IncomingMessage | undefined;
  const ready = new Promise<void>((resolveReady, reject) => {
    req = get(new URL('events', uiUrl), (response) => {
      res = response;
      let buffer = '';
      response.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event === 'ready') resolveReady();
          if (event !== 'request' || data === undefined) continue;
          const r = JSON.parse(data) as LiveRequest;
          seen.push(r);
          for (const w of waiters.splice(0)) (w.match(r) ? w.resolve(r) : waiters.push(w));
        }
      });
    });
    req.on('error', reject);
  });
  return {
    ready,
    seen: () => [...seen],
    waitFor(match) {
      const found = seen.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
    close() {
      res?.destroy();
      req?.destroy();
    },
  };
}
