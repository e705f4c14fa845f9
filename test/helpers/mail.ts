import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';

/**
 * Waits for a message to `to` that `accept` takes, in a directory of .eml files (the SMTP sink's or an outbox), and
 * returns it parsed.
 */
export async function findMail(
  dir: string,
  to: string,
  accept: (mail: ParsedMail) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<ParsedMail> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    for (const file of await readdir(dir).catch(() => [])) {
      const mail = await simpleParser(await readFile(join(dir, file)));
      if (mail.to && JSON.stringify(mail.to).includes(to) && accept(mail)) return mail;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no mail to ${to} arrived`);
}

/** The token of the first link in a mail's text. */
export function linkToken(mail: ParsedMail): string {
  const match = /[?&]token=([A-Za-z0-9_-]+)/.exec(mail.text ?? '');
  if (!match?.[1]) throw new Error(`no token link in: ${mail.text}`);
  return match[1];
}
