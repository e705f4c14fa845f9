import type { FastifyRequest } from 'fastify';
import type { LoggerOptions } from 'pino';

/** Secrets that may sit in headers, bodies or job payloads; pino replaces them before anything is written. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.passwordHash',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.secret',
  '*.mfaSecret',
];

/** Query parameters that carry one-time secrets (email links, OAuth codes). */
const SECRET_QUERY = /([?&](?:token|code|state|signature|refreshToken)=)[^&]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[Redacted]');
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
    serializers: {
      req(request: FastifyRequest) {
        return {
          method: request.method,
          url: redactUrl(request.url),
          remoteAddress: request.ip,
          headers: request.headers,
        };
      },
    },
  };
}
