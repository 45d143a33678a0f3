// The live view's memory: a bounded ring of recent requests (a page opened later sees history) and the pages
// listening for new ones. Beside each request the server keeps what the page may ask about later (the
// certificates' PEM, RBAC's explanation), which is never pushed to the page.

import type { LiveRequest } from './event.js';

/** A recorded request and what the page may ask about it. */
export interface RecordedRequest {
  request: LiveRequest;
  /** The client chain's PEM, leaf first, then our serving certificate's (index "server"). */
  clientChainPem: readonly string[];
  serverCertificatePem?: string;
  /** RBAC's step-by-step explanation as text (renderExplanation), for a request that reached authorization. */
  explanation?: Promise<string>;
}

/** Told each request once it is complete. */
export type LiveListener = (request: LiveRequest) => void;

/** How many requests the ring keeps by default. */
export const DEFAULT_HISTORY = 200;

/** The ring and its listeners. */
export class LiveRecorder {
  readonly capacity: number;
  private readonly ring: RecordedRequest[] = [];
  private readonly listeners = new Set<LiveListener>();
  private nextId = 1;

  constructor(capacity: number = DEFAULT_HISTORY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`live view history must be a positive integer, not ${capacity}`);
    this.capacity = capacity;
  }

  /** The id of a request that just arrived (ids follow arrival; a request is recorded once it is answered). */
  allocateId(): number {
    return this.nextId++;
  }

  /** Keeps a request (dropping the oldest past capacity) and tells every listener. */
  record(entry: RecordedRequest): void {
    this.ring.push(entry);
    if (this.ring.length > this.capacity) this.ring.splice(0, this.ring.length - this.capacity);
    for (const listener of this.listeners) {
      try {
        listener(entry.request);
      } catch {
        // A page that went away must not break the request path; its connection's close removes it.
      }
    }
  }

  /** The requests kept, oldest first. */
  history(): LiveRequest[] {
    return this.ring.map((e) => e.request);
  }

  /** A kept request by id, or undefined once it left the ring. */
  find(id: number): RecordedRequest | undefined {
    return this.ring.find((e) => e.request.id === id);
  }

  /** Listens for new requests; returns the function that stops listening. */
  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** How many pages listen (for tests and the stop path). */
  get listenerCount(): number {
    return this.listeners.size;
  }
}
