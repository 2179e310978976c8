import { z } from 'zod';
import { StartupError } from './startup-error.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Each variable with the sentence that says what a good value is. */
const ConfigSchema = z.object({
  PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(8080)
    .describe('a TCP port number from 0 to 65535 (0: any free port)'),
  HOST: z.string().min(1).default('0.0.0.0').describe('an address or host name to listen on'),
  DATABASE_PATH: z
    .string()
    .min(1)
    .default('./data/ipam.db')
    .describe('the path of a SQLite file, or :memory:'),
  LOG_LEVEL: z
    .enum(LOG_LEVELS)
    .default('info')
    .describe(`one of ${LOG_LEVELS.join(', ')}`),
});

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly databasePath: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
}

/** The only reader of the environment: parsed once at start-up, refusing bad values loudly. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    const [issue] = result.error.issues;
    const name = String(issue?.path[0] ?? 'configuration') as keyof typeof ConfigSchema.shape;
    const wanted = ConfigSchema.shape[name]?.description ?? 'a valid value';
    throw new StartupError(
      `${name} ${JSON.stringify(env[name] ?? '')} is not valid: set ${name} to ${wanted}`,
    );
  }
  const c = result.data;
  return { port: c.PORT, host: c.HOST, databasePath: c.DATABASE_PATH, logLevel: c.LOG_LEVEL };
}
