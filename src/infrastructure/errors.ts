import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, STATUS_CODES } from '../errors.ts';
import { ErrorEnvelope } from '../http/error-envelope.ts';

interface Classified {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
}

/** Fastify's and its plugins' own error codes, translated into ours. */
const FRAMEWORK_CODES: Record<string, string> = {
  FST_ERR_VALIDATION: 'VALIDATION_ERROR',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_BODY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_BODY',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_BODY',
  FST_REQ_FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_PARTS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_FILES_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_FIELDS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
};

export function classify(error: FastifyError | AppError): Classified {
  if (error instanceof AppError) {
    return { statusCode: error.statusCode, code: error.code, message: error.message, details: error.details };
  }
  // A race the route's own check could not see (two requests creating the same email at once).
  if (error instanceof UniqueConstraintViolationException) {
    return { statusCode: 409, code: 'CONFLICT', message: 'This already exists' };
  }
  if ((error as FastifyError).validation) {
    return {
      statusCode: 400,
      code: 'VALIDATION_ERROR',
      message: `Invalid ${(error as FastifyError).validationContext ?? 'request'}: ${error.message}`,
      details: (error as FastifyError).validation?.map(({ instancePath, message, params }) => ({
        field: instancePath || undefined,
        message,
        params,
      })),
    };
  }
  // @fastify/multipart answers 406 to a request that is not multipart; the client sent the wrong media type.
  const status = error.code === 'FST_INVALID_MULTIPART_CONTENT_TYPE' ? 415 : (error.statusCode ?? 500);
  if (status >= 400 && status < 500) {
    const code = FRAMEWORK_CODES[error.code];
    return { statusCode: status, code: code ?? STATUS_CODES[status] ?? 'BAD_REQUEST', message: error.message };
  }
  return {
    statusCode: status === 503 ? 503 : 500,
    code: status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_ERROR',
    message: 'Something went wrong on our side. It has been logged; please try again.',
  };
}

export function envelope(request: FastifyRequest, problem: Omit<Classified, 'statusCode'>): ErrorEnvelope {
  return {
    error: {
      code: problem.code,
      message: problem.message,
      ...(problem.details === undefined ? {} : { details: problem.details }),
      timestamp: new Date().toISOString(),
      requestId: String(request.id),
    },
  };
}

async function errors(fastify: FastifyInstance) {
  fastify.addSchema(ErrorEnvelope);

  fastify.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const problem = classify(error);
    if (problem.statusCode >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: problem.code, status: problem.statusCode }, problem.message);
    if (problem.statusCode === 429 && error instanceof AppError && typeof error.details === 'object') {
      const retryAfter = (error.details as { retryAfterSeconds?: number }).retryAfterSeconds;
      if (retryAfter !== undefined) reply.header('retry-after', retryAfter);
    }
    return reply.code(problem.statusCode).send(envelope(request, problem));
  });

  // Probing for routes counts against the general limit like any other request.
  const preHandler = fastify.config.rateLimit.enabled ? fastify.rateLimit() : undefined;
  fastify.setNotFoundHandler({ preHandler }, (request, reply) =>
    reply.code(404).send(
      envelope(request, {
        code: 'NOT_FOUND',
        message: `Route ${request.method} ${request.url.split('?')[0]} not found`,
      }),
    ),
  );
}

export default fp(errors, { name: 'errors', dependencies: ['rate-limit'] });
