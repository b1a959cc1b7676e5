import nock from 'nock';
import { normalizeHeaders } from '../exchange.js';
import type { NockInterceptor, SeenRequest } from './interceptors.js';

/** The interceptors tests declared, and the requests each matched, since {@link captureNock}. */
export interface NockCapture {
  interceptors: NockInterceptor[];
  seen: Map<NockInterceptor, SeenRequest[]>;
  /** Stops capturing (nock itself is left as it was). */
  stop(): void;
}

interface ScopePrototype {
  add(key: string, interceptor: NockInterceptor): unknown;
  emit(event: string | symbol, ...args: unknown[]): boolean;
}

/**
 * Watches nock: every interceptor a test declares (through `Scope#add`, which `reply()` and
 * `replyWithError()` call) and every request nock matches to one (the scope's `request` event).
 * Tests keep calling nock exactly as before.
 *
 * @example
 * const capture = captureNock();
 * // ... tests run ...
 * const { pact, notes } = pactFromInterceptors(capture.interceptors, capture.seen, { consumer, provider });
 */
export function captureNock(): NockCapture {
  const proto = Object.getPrototypeOf(nock('http://cutover-probe.invalid')) as ScopePrototype;
  const { add, emit } = proto;
  const interceptors: NockInterceptor[] = [];
  const known = new Set<NockInterceptor>();
  const seen = new Map<NockInterceptor, SeenRequest[]>();
  proto.add = function (this: ScopePrototype, key, interceptor) {
    if (!known.has(interceptor)) {
      known.add(interceptor);
      interceptors.push(interceptor);
    }
    return add.call(this, key, interceptor);
  };
  proto.emit = function (this: ScopePrototype, event, ...args) {
    if (event === 'request') {
      const [req, interceptor, body] = args as [
        { path?: string; headers?: Record<string, string | string[] | number> },
        NockInterceptor,
        string | undefined,
      ];
      const list = seen.get(interceptor) ?? [];
      list.push({ path: req.path ?? '/', headers: normalizeHeaders(req.headers), body: body ?? '' });
      seen.set(interceptor, list);
    }
    return emit.call(this, event, ...args);
  };
  return {
    interceptors,
    seen,
    stop() {
      proto.add = add;
      proto.emit = emit;
    },
  };
}
