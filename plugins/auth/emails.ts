import type { MailMessage } from '../../src/mail/mailer.ts';

interface Link {
  to: string;
  name: string | null;
  url: string;
}

const greeting = (name: string | null) => (name ? `Hi ${name},` : 'Hi,');

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function compose(link: Link, subject: string, lines: string[], action: string): MailMessage {
  const text = [greeting(link.name), '', ...lines, '', `${action}: ${link.url}`, '', '— SpeakAI'].join('\n');
  const html = [
    `<p>${escapeHtml(greeting(link.name))}</p>`,
    ...lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    `<p><a href="${escapeHtml(link.url)}">${escapeHtml(action)}</a></p>`,
    '<p>— SpeakAI</p>',
  ].join('\n');
  return { to: link.to, subject, text, html };
}

export function verificationEmail(link: Link, hours: number): MailMessage {
  return compose(
    link,
    'Confirm your email for SpeakAI',
    ['Welcome to SpeakAI! Please confirm this is your email address.', `The link works once and for ${hours} hours.`],
    'Confirm my email',
  );
}

export function passwordResetEmail(link: Link, minutes: number): MailMessage {
  return compose(
    link,
    'Reset your SpeakAI password',
    [
      'Someone asked to reset the password of your SpeakAI account. If it was you, choose a new one with this link.',
      `The link works once and for ${minutes} minutes. If it was not you, ignore this email: nothing has changed.`,
    ],
    'Choose a new password',
  );
}
