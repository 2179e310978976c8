import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_PATH: z.string().min(1).default('./data/ipam.db'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
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
    const details = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${details}`);
  }
  const c = result.data;
  return { port: c.PORT, host: c.HOST, databasePath: c.DATABASE_PATH, logLevel: c.LOG_LEVEL };
}
