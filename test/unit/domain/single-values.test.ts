import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { listOf } from '#domain/field-rules.ts';
import { firstPhone } from '#domain/phones.ts';
import { firstEmail, isEmail } from '#domain/values.ts';

/** Cells split reads once a row take a short way when they hold one value; the answers must not change. */
const CELLS = [
  '',
  ' ',
  'ann@acme.com',
  ' Ann@Acme.COM ',
  'ann@acme.com, bob@acme.com',
  'ann@acme.com;bob@acme.com',
  'ann@acme',
  'ann@@acme.com',
  "o'brien+tag@mail.acme.co.uk",
  '.ann@acme.com',
  'ann.@acme.com',
  'ann@-acme.com',
  'ann@acme.c',
  'ännä@acme.com',
  '+1 415 555 0134',
  '+1 415 555 0134, +1 415 555 0199',
  ';',
  ' ; 9001 ;; 9002 ',
  '9001',
  '\t9001\n',
];

describe('Function: isEmail', () => {
  it('answers as z.email() does', () => {
    const schema = z.email();
    for (const cell of CELLS) {
      expect(isEmail(cell), cell).toBe(schema.safeParse(cell).success);
      expect(isEmail(firstEmail(cell)), cell).toBe(schema.safeParse(firstEmail(cell)).success);
    }
  });
});

describe('Function: firstEmail, firstPhone, listOf', () => {
  it('give what splitting the cell as a list gives', () => {
    for (const cell of CELLS) {
      expect(firstEmail(cell), cell).toBe((cell.split(/[,;\s]+/).find((v) => v !== '') ?? '').toLowerCase());
      const phones = cell
        .split(/[;,]/)
        .map((p) => p.trim())
        .filter(Boolean);
      expect(firstPhone(cell), cell).toEqual({ phone: phones[0] ?? '', listed: phones.length });
      expect(listOf(cell), cell).toEqual(
        cell
          .split(';')
          .map((v) => v.trim())
          .filter(Boolean),
      );
    }
  });
});
