import type { FilterQuery } from '@mikro-orm/core';
import type { FastifyInstance } from 'fastify';
import Type, { type Static } from 'typebox';
import { User } from '../../src/entities/index.ts';
import { USER_ROLES, USER_STATUSES } from '../../src/entities/user.ts';
import { AppError, badRequest, notFound } from '../../src/errors.ts';
import { errorResponses } from '../../src/http/error-envelope.ts';
import { oneOf } from '../../src/http/schema-helpers.ts';
import { bearerAuth } from '../../src/http/security.ts';
import { isUuid } from '../../src/ids.ts';
import { Sessions } from '../auth/sessions.ts';
import { toUserView, UserView } from '../users/user-view.ts';

const ListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Part of the email or name' })),
    status: Type.Optional(oneOf(USER_STATUSES)),
    role: Type.Optional(oneOf(USER_ROLES)),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);
const UserPage = Type.Object({
  items: Type.Array(UserView),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'null on the last page' }),
});
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const StatusBody = Type.Object(
  { status: oneOf(USER_STATUSES), reason: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);

/** Newest first; the cursor is the (createdAt, id) of the last row shown, so pages stay stable under inserts. */
function encodeCursor(user: User): string {
  return Buffer.from(`${user.createdAt.toISOString()}|${user.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(at ?? '');
  if (!id || Number.isNaN(createdAt.getTime()) || !isUuid(id)) {
    throw badRequest('The cursor is not one this API gave out', { field: 'cursor' });
  }
  return { createdAt, id };
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function registerUserAdministration(fastify: FastifyInstance) {
  const tags = ['admin'];
  const security = bearerAuth;
  const sessions = new Sessions(fastify);

  fastify.get(
    '/users',
    {
      schema: {
        tags,
        security,
        summary: 'Find users: search, filter, page through',
        querystring: ListQuery,
        response: { 200: UserPage, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const query = request.query as Static<typeof ListQuery>;
      const where: FilterQuery<User>[] = [];
      if (query.status) where.push({ status: query.status });
      if (query.role) where.push({ role: query.role });
      if (query.q) {
        const like = likePattern(query.q);
        where.push({
          $or: [{ email: { $ilike: like } }, { firstName: { $ilike: like } }, { lastName: { $ilike: like } }],
        });
      }
      if (query.cursor) {
        const after = decodeCursor(query.cursor);
        where.push({
          $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, id: { $lt: after.id } }],
        });
      }
      const rows = await request.em.find(
        User,
        { $and: where },
        {
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          limit: query.limit + 1,
        },
      );
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: await Promise.all(page.map((user) => toUserView(fastify, user))),
        nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
      };
    },
  );

  fastify.get(
    '/users/:id',
    {
      schema: {
        tags,
        security,
        summary: 'One user',
        params: IdParams,
        response: { 200: UserView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = await request.em.findOne(User, (request.params as Static<typeof IdParams>).id);
      if (!user) throw notFound('User');
      return toUserView(fastify, user);
    },
  );

  fastify.put(
    '/users/:id/status',
    {
      schema: {
        tags,
        security,
        summary: 'Suspend or reactivate a user; suspension signs them out everywhere at once',
        params: IdParams,
        body: StatusBody,
        response: { 200: UserView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { id } = request.params as Static<typeof IdParams>;
      const { status, reason } = request.body as Static<typeof StatusBody>;
      if (id === request.user.sub) throw new AppError(409, 'CONFLICT', 'Administrators cannot change their own status');
      const user = await request.em.findOne(User, id);
      if (!user) throw notFound('User');
      user.status = status;
      if (status === 'suspended') await sessions.endAll(request.em, user.id);
      await request.em.flush();
      await fastify.forgetAccount(user.id);
      request.log.info({ admin: request.user.sub, user: user.id, status, reason }, 'user status changed');
      return toUserView(fastify, user);
    },
  );
}
