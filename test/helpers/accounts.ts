import type { FastifyInstance } from 'fastify';
import { User } from '../../src/entities/index.ts';

export interface Registered {
  id: string;
  email: string;
  password: string;
  token: string;
  refreshToken: string;
}

let counter = 0;

/** Registers through the API, as a learner would. */
export async function register(app: FastifyInstance, overrides: Record<string, unknown> = {}): Promise<Registered> {
  const body = {
    email: `learner${++counter}-${Date.now()}@example.com`,
    password: 'correct horse battery',
    nativeLanguage: 'zh',
    learningLanguage: 'en',
    ...overrides,
  };
  const res = await app.inject({ method: 'POST', url: '/auth/register', payload: body });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  const { user, token, refreshToken } = res.json();
  return { id: user.id, email: user.email, password: body.password as string, token, refreshToken };
}

/** Changes an account directly in the database, as an operator or another request would. */
export async function updateUser(app: FastifyInstance, id: string, changes: Partial<Pick<User, 'status' | 'role'>>) {
  const em = app.orm.em.fork();
  await em.nativeUpdate(User, { id }, changes);
  await app.forgetAccount(id);
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
