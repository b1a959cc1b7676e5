import type { OutgoingRequest, RequestHookContext } from '../options.js';

// Adds a header naming the target, so tests can see the hook ran per target.
export default function hook(request: OutgoingRequest, context: RequestHookContext): OutgoingRequest {
  return { ...request, headers: { ...request.headers, 'x-hooked-for': context.target } };
}
