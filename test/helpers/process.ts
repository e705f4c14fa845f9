import { type ChildProcess, spawn } from 'node:child_process';

export interface ServiceProcess {
  child: ChildProcess;
  /** Every JSON log line so far. */
  logs: Array<Record<string, unknown>>;
  exited: Promise<number | null>;
}

/** Starts `node <entry>` as production would and resolves once a log line matches `ready`. */
export function startProcess(entry: string, env: Record<string, string>, ready: RegExp): Promise<ServiceProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry], { env: { PATH: process.env.PATH, ...env }, stdio: 'pipe' });
    const logs: Array<Record<string, unknown>> = [];
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    let pending = '';
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines.filter(Boolean)) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (ready.test(String(entry.msg))) resolve({ child, logs, exited });
      }
    });
    exited.then((code) => reject(new Error(`${entry} exited with ${code} before it was ready:\n${stderr}`)));
  });
}
