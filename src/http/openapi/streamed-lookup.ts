/**
 * POST /v1/lookup also takes streams, which its zod body (JSON) cannot describe: the request
 * and answer media types of a streamed lookup, with examples, are added here.
 */
type Json = Record<string, unknown>;

const text = (description: string, example: string) => ({ schema: { type: 'string', description }, example });

const REQUEST = {
  'application/x-ndjson': text(
    'One JSON object with an "ip" string per line, any number of lines',
    '{"ip":"10.240.0.8"}\n{"ip":"10.244.1.9"}\n',
  ),
  'text/plain': text('One address per line (LF or CRLF), any number of lines', '10.240.0.8\n10.244.1.9\n'),
  'text/csv': text(
    'A header row, then one record per line; the addresses are in the ip, src, srcIp, dst or dstIp column (or ?column=)',
    'time,srcIp,dstIp,bytes\n2026-01-05T09:00:00Z,10.240.0.35,8.8.8.8,1200\n',
  ),
};

const ANSWER = {
  'application/x-ndjson': text(
    'For application/x-ndjson and text/plain bodies: one line per input line, in order: a lookup result, or {"line", "error"} for a line that is not an address',
    '{"ip":"10.240.0.8","matches":[],"matchCount":0,"truncated":false}\n{"line":2,"error":"expected a JSON object with an \\"ip\\" string"}\n',
  ),
  'text/csv': text(
    'For text/csv bodies: the same rows with planName, role, pool, nodeIndex, nodeIp, nodeName (of the first match; nodeName when its node is recorded), matchCount and error appended',
    'time,srcIp,dstIp,bytes,planName,role,pool,nodeIndex,nodeIp,nodeName,matchCount,error\n2026-01-05T09:00:00Z,10.240.0.35,8.8.8.8,1200,prod-weu-1,node,system,1,10.240.0.35,aks-system-1,1,\n',
  ),
};

export function describeStreamedLookup(operation: Json): void {
  const body = operation.requestBody as { content?: Json } | undefined;
  if (body?.content !== undefined) Object.assign(body.content, REQUEST);
  const ok = (operation.responses as Record<string, { content?: Json }> | undefined)?.['200'];
  if (ok?.content !== undefined) Object.assign(ok.content, ANSWER);
}
