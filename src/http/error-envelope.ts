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

const ErrorRef = Type.Ref('ErrorEnvelope');

/** Response schemas for the error statuses a route can return, for the OpenAPI document. */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorRef> {
  return Object.fromEntries([...statuses, 500].map((status) => [status, ErrorRef]));
}
