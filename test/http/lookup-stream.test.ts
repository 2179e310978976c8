import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MAX_CSV_COLUMNS } from '../../src/http/lookup-stream.js';
import { createPlan, TEST_ADMIN_TOKEN, useTestApp } from './support/app.js';
import { collectText } from './support/collect-text.js';
import { exampleDesign } from './support/designs.js';

const ctx = useTestApp();

/** Posts a streamed body and answers the status, content type and text. */
async function stream(type: string, body: string, query = '') {
  const res = await ctx.request
    .post(`/v1/lookup${query}`)
    .set('content-type', type)
    .buffer(true)
    .parse(collectText)
    .send(body);
  return { status: res.status, type: String(res.headers['content-type']), text: res.body as string };
}

/** One JSON value per line, every line ended: an empty line in between is a defect. */
const lines = (text: string) => {
  const parts = text.split('\n');
  expect(parts.at(-1)).toBe('');
  return parts.slice(0, -1).map((l) => JSON.parse(l));
};

describe('streamed lookups', () => {
  it('NDJSON in, one NDJSON answer per line out, in order; a bad line is answered and the stream goes on', async () => {
    await createPlan(ctx.request, exampleDesign());
    const body = [
      '{"ip":"10.240.0.4"}',
      'not json',
      '{"ip":"10.0.0.300"}',
      '{"ip":"192.0.2.1"}',
      '{"ip":"10.240.0.5"}',
    ].join('\n');
    const { status, type, text } = await stream('application/x-ndjson', `${body}\n`);
    expect([status, type]).toEqual([200, 'application/x-ndjson']);
    const out = lines(text);
    expect(out).toHaveLength(5);
    expect(out[0]).toMatchObject({
      ip: '10.240.0.4',
      matchCount: 1,
      truncated: false,
      matches: [{ role: 'node', nodeIndex: 0 }],
    });
    expect(out[1]).toEqual({
      line: 2,
      error: 'expected a JSON object with an "ip" string (and an optional "at" time)',
    });
    expect(out[2]).toEqual({
      line: 3,
      error: expect.stringContaining('"10.0.0.300" is not a valid IPv4 address'),
    });
    expect(out[3]).toEqual({ ip: '192.0.2.1', matches: [], matchCount: 0, truncated: false });
    expect(out[4]).toMatchObject({ ip: '10.240.0.5', matches: [{ role: 'pod', nodeIndex: 0 }] });
  });

  it('plain text in (CRLF too, no final newline), NDJSON out, with the query filters and limits', async () => {
    await createPlan(ctx.request, exampleDesign());
    const { status, text } = await stream('text/plain', '10.0.0.10\r\n\r\n10.240.0.35', '?limitPerIp=1');
    expect(status).toBe(200);
    const out = lines(text);
    expect(out.map((o) => o.ip ?? o.error)).toEqual(['10.0.0.10', 'empty line', '10.240.0.35']);
    expect(out[0]).toMatchObject({ matchCount: 1, matches: [{ role: 'dns-service' }] });
    const missing = await stream('text/plain', '10.0.0.10\n', '?plan=nope');
    expect(missing.status).toBe(404);
  });

  it('answers each line as it comes when the client sends one at a time (tail -f)', async () => {
    await createPlan(ctx.request, exampleDesign());
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = ctx.app.server.address() as AddressInfo;
    const headers = { 'content-type': 'text/plain', authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
    const req = httpRequest({ host: '127.0.0.1', port, path: '/v1/lookup', method: 'POST', headers });
    const response = new Promise<import('node:http').IncomingMessage>((resolve) =>
      req.on('response', resolve),
    );
    // The body stays open: each answer must come before the next line is sent, or this waits for ever.
    req.write('10.240.0.4\n');
    const res = await response;
    expect(res.statusCode).toBe(200);
    res.setEncoding('utf8');
    const received: string[] = [];
    const nextLine = () =>
      new Promise<string>((resolve) => {
        const take = () => {
          const text = received.join('');
          const end = text.indexOf('\n');
          if (end < 0) return void res.once('data', (part: string) => (received.push(part), take()));
          received.splice(0, received.length, text.slice(end + 1));
          resolve(text.slice(0, end));
        };
        take();
      });
    expect(JSON.parse(await nextLine())).toMatchObject({ ip: '10.240.0.4', matches: [{ role: 'node' }] });
    req.write('10.0.0.10\n10.240.0.5');
    expect(JSON.parse(await nextLine())).toMatchObject({
      ip: '10.0.0.10',
      matches: [{ role: 'dns-service' }],
    });
    req.end('\n');
    expect(JSON.parse(await nextLine())).toMatchObject({ ip: '10.240.0.5', matches: [{ role: 'pod' }] });
  });

  it('answers a line too long to hold as an error and carries on', async () => {
    const long = 'x'.repeat(20_000);
    const out = lines((await stream('text/plain', `10.0.0.1\n${long}\n10.0.0.2\n`)).text);
    expect(out.map((o) => o.ip ?? o.error)).toEqual(['10.0.0.1', 'longer than 8192 characters', '10.0.0.2']);
  });

  it('CSV in, the same rows out with the first owner and the match count appended', async () => {
    await createPlan(ctx.request, exampleDesign());
    const csv = [
      'time,srcIp,dstIp,bytes',
      '1,10.240.0.35,8.8.8.8,10',
      '2,"10.240.0.36",1.1.1.1,"a,b"',
      '3,bad,1.1.1.1,0',
    ].join('\n');
    const { status, type, text } = await stream('text/csv', `${csv}\n`);
    expect([status, type]).toEqual([200, 'text/csv; charset=utf-8']);
    expect(text.split('\n')).toEqual([
      'time,srcIp,dstIp,bytes,planName,role,pool,nodeIndex,nodeIp,nodeName,matchCount,error',
      '1,10.240.0.35,8.8.8.8,10,prod-weu-1,node,system,1,10.240.0.35,,1,',
      '2,"10.240.0.36",1.1.1.1,"a,b",prod-weu-1,pod,system,1,10.240.0.35,,1,',
      expect.stringMatching(/^3,bad,1\.1\.1\.1,0,,,,,,,,"""bad"" is not a valid IPv4 address/),
      '',
    ]);
    const byDst = await stream('text/csv', `${csv}\n`, '?column=dstIp');
    expect(byDst.text.split('\n')[1]).toBe('1,10.240.0.35,8.8.8.8,10,,,,,,,0,');
  });

  it("names the recorded node of the first match in the CSV's nodeName column", async () => {
    const { id } = await createPlan(ctx.request, exampleDesign());
    const recorded = await ctx.request
      .put(`/v1/plans/${id}/nodes/aks-system-0`)
      .send({ pool: 'system', nodeIp: '10.240.0.4' });
    expect(recorded.status, recorded.text).toBeLessThan(300);
    const { text } = await stream('text/csv', 'ip\n10.240.0.8\n10.240.0.35\n');
    expect(text.split('\n')).toEqual([
      'ip,planName,role,pool,nodeIndex,nodeIp,nodeName,matchCount,error',
      '10.240.0.8,prod-weu-1,pod,system,0,10.240.0.4,aks-system-0,1,',
      '10.240.0.35,prod-weu-1,node,system,1,10.240.0.35,,1,',
      '',
    ]);
  });

  it('reads a spreadsheet export (byte order mark), and quotes back a line that is no CSV record', async () => {
    await createPlan(ctx.request, exampleDesign());
    const { status, text } = await stream('text/csv', '\uFEFFip,note\n"10.240.0.9\n10.240.0.8,ok\n');
    expect(status).toBe(200);
    expect(text.split('\n')).toEqual([
      'ip,note,planName,role,pool,nodeIndex,nodeIp,nodeName,matchCount,error',
      '"""10.240.0.9",,,,,,,,,not a CSV record (a quote is left open)',
      '10.240.0.8,ok,prod-weu-1,pod,system,0,10.240.0.4,,1,',
      '',
    ]);
  });

  it('writes back a field with a carriage return or a stray quote quoted, so that no row splits', async () => {
    await createPlan(ctx.request, exampleDesign());
    const body = 'ip,no"te\n10.240.0.8,a\rb\n10.240.0.9,x"y\n"10.240.0.8","ok"\n10.240.0.8,tail\r\r\n';
    const { text } = await stream('text/csv', body);
    expect(text.split('\n')).toEqual([
      'ip,"no""te",planName,role,pool,nodeIndex,nodeIp,nodeName,matchCount,error',
      '10.240.0.8,"a\rb",prod-weu-1,pod,system,0,10.240.0.4,,1,',
      '10.240.0.9,"x""y",prod-weu-1,pod,system,0,10.240.0.4,,1,',
      // A record written as RFC 4180 writes one goes back as it came, quotes and all.
      '"10.240.0.8","ok",prod-weu-1,pod,system,0,10.240.0.4,,1,',
      '10.240.0.8,"tail\r",prod-weu-1,pod,system,0,10.240.0.4,,1,',
      '',
    ]);
    // Read as RFC 4180 reads it, every row is one record of the header's width: no bare CR is left.
    expect(text.replace(/"(?:[^"]|"")*"/g, '')).not.toContain('\r');
  });

  it('keeps the owner columns under their names whatever width a row has', async () => {
    await createPlan(ctx.request, exampleDesign());
    const long = 'x'.repeat(9000);
    const csv = [
      'time,srcIp,dstIp',
      '1,10.240.0.8',
      '2,10.240.0.9,8.8.8.8,extra',
      '',
      '4',
      long,
      '6,,1.1.1.1',
    ];
    const { text } = await stream('text/csv', `${csv.join('\n')}\n`);
    const rows = text.split('\n').slice(1, -1);
    // Every row as wide as the header (3) plus the eight owner columns.
    expect(rows).toEqual([
      '1,10.240.0.8,,prod-weu-1,pod,system,0,10.240.0.4,,1,',
      '"2,10.240.0.9,8.8.8.8,extra",,,,,,,,,,4 fields where the header has 3',
      ',,,,,,,,,,empty line',
      '4,,,,,,,,,,no address in column srcIp',
      ',,,,,,,,,,longer than 8192 characters',
      '6,,1.1.1.1,,,,,,,,no address in column srcIp',
    ]);
  });

  it('drops a byte order mark at the start of plain lines and NDJSON too', async () => {
    await createPlan(ctx.request, exampleDesign());
    const plain = lines((await stream('text/plain', '\uFEFF10.240.0.8\n')).text);
    expect(plain[0]).toMatchObject({ ip: '10.240.0.8', matchCount: 1 });
    const ndjson = lines((await stream('application/x-ndjson', '\uFEFF{"ip":"10.240.0.8"}\n')).text);
    expect(ndjson[0]).toMatchObject({ ip: '10.240.0.8', matchCount: 1 });
  });

  it('reads the first of ip, src, srcIp, dst and dstIp the header has, in that order', async () => {
    await createPlan(ctx.request, exampleDesign());
    // The destination comes first in the header; the source is still the column read.
    const { text } = await stream('text/csv', 'dstIp,srcIp\n8.8.8.8,10.240.0.8\n');
    expect(text.split('\n')[1]).toBe('8.8.8.8,10.240.0.8,prod-weu-1,pod,system,0,10.240.0.4,,1,');
  });

  it('finds the address column whatever its case or the spaces around it', async () => {
    await createPlan(ctx.request, exampleDesign());
    const { text } = await stream('text/csv', 'Time, SrcIP ,DstIP\n1,10.240.0.8,8.8.8.8\n');
    expect(text.split('\n')[1]).toBe('1,10.240.0.8,8.8.8.8,prod-weu-1,pod,system,0,10.240.0.4,,1,');
    const byDst = await stream('text/csv', 'Time, SrcIP ,DstIP\n1,10.240.0.8,10.240.0.9\n', '?column=DSTIP');
    expect(byDst.text.split('\n')[1]).toMatch(/^1,10\.240\.0\.8,10\.240\.0\.9,prod-weu-1,pod,/);
  });

  it('422 CSV_HEADER_INVALID when no column holds addresses, before any row is answered', async () => {
    const res = await stream('text/csv', 'a,b\n1,2\n');
    expect(res.status).toBe(422);
    expect(JSON.parse(res.text).code).toBe('CSV_HEADER_INVALID');
    expect((await stream('text/csv', 'ip,b\n', '?column=srcIp')).status).toBe(422);
  });

  it('422 CSV_HEADER_INVALID for a header wider than MAX_CSV_COLUMNS: every row would come back that wide', async () => {
    const header = (columns: number) => `ip${',x'.repeat(columns - 1)}\n10.0.0.1\n`;
    const wide = await stream('text/csv', header(MAX_CSV_COLUMNS + 1));
    expect([wide.status, JSON.parse(wide.text).code]).toEqual([422, 'CSV_HEADER_INVALID']);
    expect((await stream('text/csv', header(MAX_CSV_COLUMNS))).status).toBe(200);
  });

  it('still refuses other media types with 415, naming those it takes', async () => {
    const res = await stream('application/xml', '<ip/>');
    expect(res.status).toBe(415);
    expect(JSON.parse(res.text).detail).toBe(
      'Content-Type "application/xml" is not accepted here: send application/json, application/x-ndjson, text/plain, text/csv',
    );
  });
});
