import { describe, expect, it } from 'vitest';
import { budgetFingerprint, parseSecret } from '#functions/commons/env.ts';

describe('The API key secret', () => {
  it('holds the key alone, or JSON with the key and an ActuallyCare session token', () => {
    // Act / Assess
    expect(parseSecret('  abc123 \n')).toEqual({ apiKey: 'abc123' });
    expect(parseSecret('{"apiKey": "abc123", "sessionToken": "eyJ.x.y"}')).toEqual({
      apiKey: 'abc123',
      sessionToken: 'eyJ.x.y',
    });
    expect(parseSecret('{"apiKey": "abc123", "sessionToken": ""}')).toEqual({ apiKey: 'abc123' });
  });

  it.each([
    ['', /empty/],
    ['{"apiKey": 1}', /without an "apiKey" string/],
    ['{not json', /not JSON/],
  ])('refuses %j with a message that says what to put in it', (text, message) => {
    // Act / Assess
    expect(() => parseSecret(text)).toThrow(message);
  });
});

describe('The rate budget is shared by what the API counts', () => {
  it('RL1/RL2 (ActuallyCare): per IP, so two keys against one API host share one budget', () => {
    // Act / Assess
    expect(budgetFingerprint('actuallycare', 'https://api.actuallycare.com/v1', 'key-a')).toBe(
      budgetFingerprint('actuallycare', 'https://api.actuallycare.com/v1/', 'key-b'),
    );
  });

  it('RL1 (Clarify): per workspace, so two keys of one workspace share it and two workspaces do not', () => {
    // Prepare
    const ws = (slug: string, key: string) =>
      budgetFingerprint('clarify', `https://api.clarify.ai/v1/workspaces/${slug}`, key);

    // Act / Assess
    expect(ws('acme', 'key-a')).toBe(ws('acme', 'key-b'));
    expect(ws('acme', 'key-a')).not.toBe(ws('globex', 'key-a'));
  });
});
