import { describe, expect, it } from 'vitest';
import {
  bomOf,
  delimiterName,
  incompleteUtf8Tail,
  separatorLine,
  sniffDelimiter,
  utf16Without,
} from '#domain/text-format.ts';

describe('Function: bomOf', () => {
  it.each([
    [[0xef, 0xbb, 0xbf, 0x41], { encoding: 'utf-8 (BOM)', length: 3 }],
    [[0xff, 0xfe, 0x41, 0x00], { encoding: 'utf-16le', length: 2 }],
    [[0xfe, 0xff, 0x00, 0x41], { encoding: 'utf-16be', length: 2 }],
    [[0x41, 0x42], undefined],
    [[], undefined],
  ])('reads the mark of %j', (bytes, expected) => {
    // Act, Assess
    expect(bomOf(Uint8Array.from(bytes))).toEqual(expected);
  });
});

describe('Function: utf16Without', () => {
  it.each<[string, Buffer, string | undefined]>([
    ['UTF-16 LE text', Buffer.from('Name,Email\r\nAnn,a@x.com', 'utf16le'), 'utf-16le'],
    ['UTF-16 BE text', Buffer.from('Name,Email\r\nAnn,a@x.com', 'utf16le').swap16(), 'utf-16be'],
    ['UTF-8 text', Buffer.from('Name,Email\r\nAnn,a@x.com'), undefined],
    ['too little to tell', Buffer.from('Na', 'utf16le'), undefined],
  ])('%s -> %j', (_case, bytes, expected) => {
    // Act, Assess
    expect(utf16Without(bytes)).toBe(expected);
  });
});

describe('Function: incompleteUtf8Tail', () => {
  it.each<[string, number[], number]>([
    ['ASCII', [0x41, 0x42], 0],
    ['a whole é', [0x41, 0xc3, 0xa9], 0],
    ['the first byte of é', [0x41, 0xc3], 1],
    ['two bytes of €', [0x41, 0xe2, 0x82], 2],
    ['a whole €', [0xe2, 0x82, 0xac], 0],
    ['three bytes of an emoji', [0xf0, 0x9f, 0x98], 3],
    ['a lone Windows-1252 é (0xE9) at the end', [0x41, 0xe9], 1],
    ['nothing', [], 0],
  ])('%s: %j -> %d', (_case, bytes, expected) => {
    // Act, Assess
    expect(incompleteUtf8Tail(Uint8Array.from(bytes))).toBe(expected);
  });
});

describe('Function: sniffDelimiter', () => {
  it.each([
    ['First Name,Last Name,Email', ','],
    ['First Name;Last Name;Email', ';'],
    ['First Name\tLast Name\tEmail', '\t'],
    ['First Name|Last Name|Email', '|'],
    ['"Name; full",Email,Phone', ','],
    ['"Name, full";Email;Phone', ';'],
    ['Email', ','],
    ['a,b;c', ','],
  ])('finds the separator of %j', (line, expected) => {
    // Act, Assess
    expect(sniffDelimiter(line)).toBe(expected);
  });
});

describe('Function: separatorLine', () => {
  it.each([
    ['sep=;', ';'],
    ['SEP=,', ','],
    ['"sep=\t"', '\t'],
    ['sep=x', undefined],
    ['Name;Email', undefined],
  ])("reads Excel's %j as %j", (line, expected) => {
    // Act, Assess
    expect(separatorLine(line)).toBe(expected);
  });
});

describe('Function: delimiterName', () => {
  it.each([
    [',', 'comma'],
    [';', 'semicolon'],
    ['\t', 'tab'],
    ['|', 'pipe'],
  ] as const)('names %j %j', (delimiter, expected) => {
    // Act, Assess
    expect(delimiterName(delimiter)).toBe(expected);
  });
});
