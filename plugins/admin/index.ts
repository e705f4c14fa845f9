import type { FastifyInstance } from 'fastify';
import { registerUserAdministration } from './users.ts';

export const autoPrefix = '/admin';

/** Every route here is for administrators only; the role is checked against the account on each request. */
export default async function admin(fastify: FastifyInstance) {
  fastify.addHook('onRequest', fastify.requireRole('admin'));
  registerUserAdministration(fastify);
}
