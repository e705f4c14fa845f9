import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { MailConfig } from '../config.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/**
 * Sends mail over SMTP, or, in development, writes each message as an .eml file to an outbox directory, where any
 * mail client can open it. Both go through nodemailer so the message bytes are the same.
 */
export class Mailer {
  private readonly transport: Transporter;
  private readonly config: MailConfig;

  constructor(config: MailConfig) {
    this.config = config;
    this.transport =
      config.driver === 'smtp'
        ? nodemailer.createTransport(config.url)
        : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async deliver(message: MailMessage): Promise<string> {
    const info = await this.transport.sendMail({ from: this.config.from, ...message });
    if (this.config.driver === 'outbox') {
      await mkdir(this.config.dir, { recursive: true });
      const file = join(this.config.dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID()}.eml`);
      await writeFile(file, info.message as Buffer);
    }
    return info.messageId;
  }

  close(): void {
    this.transport.close();
  }
}
