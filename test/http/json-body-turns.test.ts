import { describe, expect, it } from 'vitest';
import { yieldToEventLoop as nextTurn } from '../../src/event-loop.js';
import { checkParsedBody, WALK_LATER_BYTES } from '../../src/http/json-body.js';

/** Checks a parsed body and reports, turn by turn, when its answer came. */
function check(text: string, value: unknown) {
  const seen: { error: Error | null; value: unknown }[] = [];
  checkParsedBody(text, value, (error, passed) => seen.push({ error, value: passed }));
  return seen;
}

const large = (value: unknown) => ({ text: ' '.repeat(WALK_LATER_BYTES + 1), value });
const nested = (depth: number): unknown => (depth === 0 ? {} : { a: nested(depth - 1) });

describe('the checks of a parsed JSON body', () => {
  it('answer a small body at once', () => {
    expect(check('{}', {})).toEqual([{ error: null, value: {} }]);
    expect(check('{}', nested(40))[0]?.error?.message).toMatch(/nests deeper than 32 levels/);
  });

  it('walk a large body in turns of their own: the depth, then the text', async () => {
    const body = large({ items: ['a'] });
    const seen = check(body.text, body.value);
    expect(seen).toEqual([]); // the parse's turn ends: probes and other requests go first
    await nextTurn();
    expect(seen).toEqual([]); // the depth was walked; the text is walked in the next turn
    await nextTurn();
    expect(seen).toEqual([{ error: null, value: body.value }]);
  });

  it('refuse a large body as they refuse a small one', async () => {
    const deep = large(nested(40));
    const tooDeep = check(deep.text, deep.value);
    await nextTurn();
    expect(tooDeep.map((s) => [s.value, s.error?.message])).toEqual([
      [undefined, `the body nests deeper than 32 levels at ${'a.'.repeat(31)}a`],
    ]);
    const withNul = { ...large({ items: ['a\0b'] }), text: `${' '.repeat(WALK_LATER_BYTES)}\\u0000` };
    const refused = check(withNul.text, withNul.value);
    await nextTurn();
    await nextTurn();
    expect(refused.map((s) => [s.value, s.error?.message])).toEqual([
      [undefined, 'items[0]: text may not contain the NUL character (\\u0000)'],
    ]);
  });
});
