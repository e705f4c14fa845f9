import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';

export interface RunningService {
  /** Variables the tests read to reach this service. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** PostgreSQL refuses to run as root; as root we hand its directories to `nobody` and run it as that user. */
export function unprivilegedUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'nobody']).toString());
  const gid = Number(execFileSync('id', ['-g', 'nobody']).toString());
  return { uid, gid };
}

export function giveTo(user: { uid: number; gid: number } | undefined, ...paths: string[]) {
  if (user) for (const path of paths) chownSync(path, user.uid, user.gid);
}

/** Finds a server binary on PATH or in Debian's versioned PostgreSQL directories. */
export function findBinary(name: string): string {
  const fromPath = (process.env.PATH ?? '').split(':').map((dir) => `${dir}/${name}`);
  const postgresDirs = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => `/usr/lib/postgresql/${version}/bin/${name}`)
    : [];
  const found = [...fromPath, ...postgresDirs].find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`${name} not found: install it (the README lists the packages) or set its URL`);
  return found;
}

/** Starts a server and resolves once it prints its ready line, or rejects with what it printed instead. */
export function startUntilReady(
  command: string,
  args: string[],
  readyLine: RegExp,
  options: { uid?: number; gid?: number; cwd?: string } = {},
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => fail(new Error(`${command} did not become ready in 30 s:\n${output}`)), 30_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const watch = (chunk: Buffer) => {
      output += chunk.toString();
      if (readyLine.test(output)) {
        clearTimeout(timer);
        child.stdout?.removeAllListeners('data');
        child.stderr?.removeAllListeners('data');
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', watch);
    child.stderr?.on('data', watch);
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`${command} exited with ${code}:\n${output}`)));
  });
}

export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
