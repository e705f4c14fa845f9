import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { SMTPServer } from 'smtp-server';
import type { RunningService } from './process.ts';

/** An SMTP sink: accepts every message and writes it, as received, to a directory the tests read. */
export async function startSmtpSink(): Promise<RunningService> {
  const dir = await mkdtemp(join(tmpdir(), 'speakai-mail-'));
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      buffer(stream)
        .then((message) => writeFile(join(dir, `${Date.now()}-${randomUUID()}.eml`), message))
        .then(() => callback(), callback);
    },
  });
  const port = await new Promise<number>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port));
  });
  return {
    env: { TEST_SMTP_URL: `smtp://127.0.0.1:${port}`, TEST_MAIL_DIR: dir },
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
