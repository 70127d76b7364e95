import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A real Weebum Cloud for the desktop core's tests, run the way an operator runs it: the
 * server's own CLI in a child process (src-main never imports server code). Embedded PGlite in a
 * fresh data directory, HTTPS with its development CA, on a free port.
 */
export interface CloudProcess {
  readonly url: string;
  readonly ca: Buffer;
  readonly dataDir: string;
  /** The bootstrapped operator's login id and temporary password. */
  readonly operator: { readonly loginId: string; readonly temporaryPassword: string };
  stop(): Promise<void>;
  /** Starts it again on the same data directory (and the same port when possible). */
  restart(): Promise<void>;
  /**
   * Runs another CLI command on the same data directory, as an operator would (e.g.
   * `jobs run photos.expire --now ...`). Stop the server first: PGlite is opened by one
   * process at a time.
   */
  runCommand(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'src-server', 'bin.ts');

function run(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', BIN, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function output(
  child: ChildProcess,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stdout, stderr };
}

function serve(
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; url: string; caFile: string }> {
  const child = run(['serve'], env);
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`cloud did not start:\n${stderr}`)), 60_000);
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      const ready = /listening on (https:\/\/\S+) \(trust CA: ([^)]+)\)/.exec(stdout);
      if (ready) {
        clearTimeout(timer);
        resolve({ child, url: ready[1] as string, caFile: ready[2] as string });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`cloud exited (${code}):\n${stderr}`));
    });
  });
}

/** Photos in S3 (e.g. s3rver on loopback) instead of the local blob store. */
export interface CloudS3Options {
  /** http(s)://host:port of the S3 endpoint. */
  readonly endpoint: string;
  /** Must exist already. */
  readonly bucket: string;
  readonly region?: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** SSE-KMS with this key on every write (WEEBUM_S3_KMS_KEY_ID); absent: SSE-S3. */
  readonly kmsKeyId?: string;
}

export async function startCloudProcess(
  options: {
    port?: number;
    s3?: CloudS3Options;
    /** A PostgreSQL database of its own (production's database); embedded PGlite without. */
    databaseUrl?: string;
    /** More server settings from the environment (`WEEBUM_*`, src-server/config.ts). */
    env?: Readonly<Record<string, string>>;
  } = {},
): Promise<CloudProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'weebum-cloud-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WEEBUM_DATA_DIR: dataDir,
    WEEBUM_HOST: '127.0.0.1',
    WEEBUM_PORT: String(options.port ?? 0),
    DATABASE_URL: '',
  };
  delete env['DATABASE_URL'];
  if (options.databaseUrl !== undefined) env['DATABASE_URL'] = options.databaseUrl;
  Object.assign(env, options.env);
  for (const name of Object.keys(env)) {
    // Only what this call asks for: never an S3 setting or AWS profile from the outer shell.
    if (name.startsWith('WEEBUM_S3_') || name === 'WEEBUM_CONFIG' || name === 'AWS_PROFILE') {
      delete env[name];
    }
  }
  if (options.s3 !== undefined) {
    // src-server/config.ts reads these; the AWS SDK takes the credentials from the environment.
    Object.assign(env, {
      WEEBUM_S3_ENDPOINT: options.s3.endpoint,
      WEEBUM_S3_BUCKET: options.s3.bucket,
      WEEBUM_S3_REGION: options.s3.region ?? 'ap-northeast-1',
      WEEBUM_S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: options.s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: options.s3.secretAccessKey,
    });
    if (options.s3.kmsKeyId !== undefined) env['WEEBUM_S3_KMS_KEY_ID'] = options.s3.kmsKeyId;
  }
  const boot = await output(run(['bootstrap', '--json'], env));
  if (boot.code !== 0) throw new Error(`bootstrap failed: ${boot.stderr}`);
  const operator = JSON.parse(boot.stdout) as { loginId: string; temporaryPassword: string };

  let current = await serve(env);
  // Restart on the same port, so clients keep their configured server address.
  env['WEEBUM_PORT'] = new URL(current.url).port;
  const ca = await readFile(current.caFile);

  const stop = async () => {
    if (current.child.exitCode !== null) return;
    const exited = new Promise((resolve) => current.child.once('exit', resolve));
    current.child.kill('SIGTERM');
    await exited;
  };
  return {
    url: current.url,
    ca,
    dataDir,
    operator,
    async stop() {
      await stop();
    },
    async restart() {
      await stop();
      current = await serve(env);
    },
    runCommand: (args) => output(run(args, env)),
  };
}

export async function disposeCloudProcess(cloud: CloudProcess | undefined): Promise<void> {
  if (!cloud) return;
  await cloud.stop();
  await rm(cloud.dataDir, { recursive: true, force: true });
}
