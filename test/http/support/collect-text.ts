import type { Response } from 'supertest';

/** A supertest parser that keeps a streamed answer as one string, whatever its content type. */
export function collectText(res: Response, done: (error: Error | null, body: string) => void): void {
  let text = '';
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    text += chunk;
  });
  stream.on('end', () => done(null, text));
}
