import type { LightMyRequestResponse } from 'fastify';
import type { Test } from 'tap';
import type { ErrorEnvelope } from '../../src/http/error-envelope.ts';

/** Asserts the response is the documented error envelope with this status and code; returns its error. */
export function expectEnvelope(
  t: Test,
  res: LightMyRequestResponse,
  status: number,
  code: string,
): ErrorEnvelope['error'] {
  t.equal(res.statusCode, status, `status ${status}`);
  const body = res.json() as ErrorEnvelope;
  t.equal(body.error?.code, code, `code ${code}`);
  t.match(body.error.message, /\S/, 'a message for humans');
  t.match(body.error.timestamp, /^\d{4}-\d\d-\d\dT/, 'an ISO timestamp');
  t.equal(body.error.requestId, res.headers['x-request-id'], 'the request id of the x-request-id header');
  return body.error;
}
