import Type, { type Static } from 'typebox';

export const ErrorEnvelope = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable code', examples: ['VALIDATION_ERROR'] }),
      message: Type.String({ description: 'What went wrong, for a human' }),
      details: Type.Optional(Type.Unknown({ description: 'Structured detail, e.g. the fields that failed' })),
      timestamp: Type.String({ format: 'date-time' }),
      requestId: Type.String({ description: 'Echoed in the x-request-id header; quote it when reporting a problem' }),
    }),
  },
  { $id: 'ErrorEnvelope', description: 'Every error the API returns has this shape' },
);
export type ErrorEnvelope = Static<typeof ErrorEnvelope>;

/** One error a route documents: its status, code and message as the client will see them. */
export interface ErrorExample {
  status: number;
  code: string;
  message: string;
  details?: unknown;
}

const ErrorRef = Type.Ref('ErrorEnvelope');

/** What each status usually carries, for routes that name only the status. */
const TYPICAL: Record<number, Omit<ErrorExample, 'status'>> = {
  400: {
    code: 'VALIDATION_ERROR',
    message: 'body/email must match format "email"',
    details: [{ field: '/email', message: 'must match format "email"' }],
  },
  401: { code: 'UNAUTHORIZED', message: 'Authentication is required' },
  403: { code: 'FORBIDDEN', message: 'You are not allowed to do this' },
  404: { code: 'NOT_FOUND', message: 'Resource not found' },
  409: { code: 'CONFLICT', message: 'This already exists' },
  413: { code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large' },
  415: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported Media Type: text/plain' },
  422: { code: 'UNPROCESSABLE', message: 'The request was understood but cannot be processed' },
  429: { code: 'RATE_LIMITED', message: 'Rate limit exceeded, retry in 1 minute' },
  500: { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side' },
  503: { code: 'SERVICE_UNAVAILABLE', message: 'The service is unavailable right now' },
};

function envelopeOf({ code, message, details }: Omit<ErrorExample, 'status'>) {
  const error = { code, message, ...(details === undefined ? {} : { details }) };
  return { error: { ...error, timestamp: '2026-11-25T10:00:00.000Z', requestId: 'req-6f1c2a' } };
}

/**
 * Response schemas for the errors a route can return, each with pasteable examples for the OpenAPI document: a
 * status alone gets its typical error, an ErrorExample documents a route's own code (several per status are fine).
 */
export function errorResponses(...errors: Array<number | ErrorExample>) {
  const examples = new Map<number, Record<string, { value: unknown }>>();
  for (const error of [...errors, 500]) {
    const example = typeof error === 'number' ? { status: error, ...(TYPICAL[error] ?? TYPICAL[500]) } : error;
    if (typeof error === 'number' && examples.has(error)) continue;
    examples.set(example.status, { ...examples.get(example.status), [example.code]: { value: envelopeOf(example) } });
  }
  // A response given as `content` keeps its examples beside the schema in the OpenAPI document (@fastify/swagger
  // resolves a bare $ref and drops what is next to it); Fastify serializes by the content's schema all the same.
  const response = (named: Record<string, { value: unknown }>) => ({
    description: 'Every error the API returns has this shape',
    content: { 'application/json': { schema: ErrorRef, examples: named } },
  });
  return Object.fromEntries([...examples].map(([status, named]) => [status, response(named)]));
}
