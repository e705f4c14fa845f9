import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Mailer, type MailMessage } from '../mail/mailer.ts';

declare module 'fastify' {
  interface FastifyInstance {
    mail: {
      /** Queues the message; a worker delivers it, with retries, so no request waits on SMTP. */
      send(message: MailMessage): Promise<string>;
    };
  }
}

export const SEND_MAIL_JOB = 'mail.send';

async function mail(fastify: FastifyInstance) {
  const mailer = new Mailer(fastify.config.mail);
  fastify.jobs.define<MailMessage>(SEND_MAIL_JOB, async (message, { log }) => {
    const messageId = await mailer.deliver(message);
    log.info({ messageId }, 'mail delivered');
  });
  fastify.decorate('mail', { send: (message: MailMessage) => fastify.jobs.enqueue(SEND_MAIL_JOB, message) });
  fastify.addHook('onClose', () => mailer.close());
}

export default fp(mail, { name: 'mail', dependencies: ['jobs'] });
