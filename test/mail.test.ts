import t from 'tap';
import type { InProcessQueue } from '../src/jobs/in-process-queue.ts';
import { buildTestApp } from './helpers/app.ts';
import { findMail } from './helpers/mail.ts';
import { servers } from './helpers/services.ts';

const message = (to: string) => ({
  to,
  subject: 'Verify your email',
  text: 'Open https://speakai.local/verify?token=abc to verify.',
  html: '<p>Open <a href="https://speakai.local/verify?token=abc">this link</a>.</p>',
});

t.test('outbox: mail is queued, then written as an .eml file', async (t) => {
  const { app, config } = await buildTestApp(t);
  await app.mail.send(message('ana@example.com'));
  await (app.jobs as InProcessQueue).idle();
  const dir = config.mail.driver === 'outbox' ? config.mail.dir : '';
  const mail = await findMail(dir, 'ana@example.com');
  t.equal(mail.subject, 'Verify your email');
  t.match(mail.text, /token=abc/);
  t.match(JSON.stringify(mail.from), /no-reply@speakai\.local/);
});

t.test('smtp: mail goes through the job queue to a real SMTP server', async (t) => {
  const { app } = await buildTestApp(t, { mail: 'smtp', redis: true });
  const to = `learner-${Date.now()}@example.com`;
  await app.mail.send(message(to));
  const mail = await findMail(servers.mailDir ?? '', to);
  t.equal(mail.subject, 'Verify your email');
  t.match(mail.html, /href="https:\/\/speakai\.local\/verify\?token=abc"/);
});
