import { beforeEach, describe, expect, it } from 'vitest';
import { CleaningLog } from '#domain/cleaning.ts';
import { resolveColumns } from '#domain/columns.ts';
import type { Entity, MergedRow, SourceRow } from '#domain/entities.ts';
import type { FileTally } from '#domain/plan.ts';
import { type Association, toSourceRow } from '#domain/rows.ts';
import { KeyIndex } from '#intake/key-index.ts';
import { RowFlow } from '#intake/row-flow.ts';
import { type ObjectStore, parseNdjson } from '#storage/object-store.ts';
import { chunkWriter, PartWriter } from '#storage/part-writer.ts';

/** An object store that keeps what the writer puts, by key. */
class MemoryStore {
  readonly objects = new Map<string, unknown[]>();
  async putBytes(key: string, body: Uint8Array) {
    this.objects.set(key, parseNdjson(Buffer.from(body).toString('utf8')));
  }
  merges(entity: Entity): MergedRow[] {
    return this.under(`/merges/${entity}/`) as MergedRow[];
  }
  failures(): unknown[] {
    return this.under('/failures/');
  }
  private under(prefix: string): unknown[] {
    return [...this.objects.entries()].filter(([key]) => key.includes(prefix)).flatMap(([, items]) => items);
  }
  rows(entity: Entity): SourceRow[] {
    return [...this.objects.entries()]
      .filter(([key]) => key.includes(`/rows/${entity}/`))
      .flatMap(([, rows]) => rows as SourceRow[]);
  }
}

let line = 1;
function row(entity: Entity, raw: Record<string, string>): { row: SourceRow; associations: Association[] } {
  line += 1;
  const result = toSourceRow({
    entity,
    file: `${entity}.csv`,
    line,
    roles: resolveColumns(entity, Object.keys(raw)),
    raw,
  });
  if (!result.ok) throw new Error(result.failure.message);
  return result;
}

describe('Class: RowFlow', () => {
  let store: MemoryStore;
  let log: CleaningLog;
  let flow: RowFlow;
  let tally: FileTally;

  const accept = async (entity: Entity, raw: Record<string, string>) => {
    const { row: r, associations } = row(entity, raw);
    await flow.accept(r, associations, tally);
  };

  beforeEach(() => {
    store = new MemoryStore();
    log = new CleaningLog();
    const objects = store as unknown as ObjectStore;
    flow = new RowFlow(
      {
        rows: chunkWriter(objects, 'job-1', 100),
        merges: new PartWriter(
          objects,
          (e, part) => `job-1/merges/${e}/${part}`,
          (m) => m.entity,
          100,
        ),
        failures: new PartWriter(
          objects,
          (_, part) => `job-1/failures/${part}`,
          () => 'all',
          100,
        ),
      },
      ['Website Leads'],
      log,
      new KeyIndex(1 << 10),
    );
    tally = { file: 'x.csv', rows: 0, failed: 0, merged: 0 };
    line = 1;
  });

  it('sets catch-all accounts aside and imports their people and deals without a company', async () => {
    // Act
    await accept('company', { Id: '001WEB', Name: 'Website Leads' });
    await accept('company', { Id: '001ACME', Name: 'Acme', Website: 'acme.com' });
    await accept('person', { 'First Name': 'Jill', Email: 'jill@x.com', 'Account Id': '001WEB' });
    await accept('person', { 'First Name': 'Tom', Email: 'tom@acme.com', 'Account Id': '001ACME' });
    await accept('deal', { 'Deal Name': 'Web inquiry', Company: 'website leads' });
    await flow.finish();

    // Assess
    expect(store.rows('company').map((c) => c.fields.name)).toEqual(['Acme']);
    expect(store.rows('person').map((p) => [p.fields.first_name, p.refs.company])).toEqual([
      ['Jill', undefined],
      ['Tom', '001ACME'],
    ]);
    expect(store.rows('deal')[0]?.refs.company).toBeUndefined();
    expect(log.cleaning).toMatchObject({ catchAllAccounts: 1, catchAllLinksDropped: 2 });
    // the catch-all is not a row of any stage: rows in still add up
    expect(flow.counts.company?.rows).toBe(1);
    expect(log.warnings[0]?.message).toMatch(/'Website Leads' is a catch-all account: not created/);
  });

  it('merges a duplicate person and points what named it by its own id at the row it merged into; a link named from both sides is one link', async () => {
    // Act
    await accept('person', {
      'Record ID': '7101',
      'First Name': 'Ava',
      Email: 'ava@acme.com',
      'Associated Deal IDs': '9001',
    });
    await accept('person', {
      'Record ID': '7109',
      'First Name': 'Ava',
      Email: 'AVA@acme.com',
      'Associated Deal IDs': '9006',
    });
    await accept('deal', { 'Record ID': '9006', 'Deal Name': 'Add-on', 'Associated Contact IDs': '7109' });
    await flow.finish();

    // Assess: 9006 <-> Ava is named from both sides: one link, not a duplicate row
    expect(store.rows('person')).toHaveLength(1);
    expect(store.rows('link').map((l) => l.refs)).toEqual([
      { deal: '9001', person: '7101' },
      { deal: '9006', person: '7101' },
    ]);
    // a duplicate's own links name it by its own row: nothing there another row's id could make ambiguous
    expect(store.rows('link').map((l) => l.aliased)).toEqual([undefined, undefined]);
    expect(store.merges('person').map((m) => [m.line, m.intoLine])).toEqual([[3, 2]]);
    expect(store.merges('link')).toEqual([]);
    expect(flow.counts.link).toMatchObject({ rows: 2, merged: 0 });
    expect(log.cleaning.associationLinks).toBe(2);
  });

  it('points references to a merged duplicate company at the company it merged into', async () => {
    // Act
    await accept('company', { Id: 'c1', Name: 'Acme', Website: 'acme.com' });
    await accept('company', { Id: 'c7', Name: 'ACME Inc', Website: 'https://www.acme.com' });
    await accept('person', { 'First Name': 'Tom', Email: 'tom@acme.com', 'Company ID': 'c7' });
    await flow.finish();

    // Assess: and remembers the id it gave, and where the duplicate that had it was
    expect(store.rows('person')[0]?.refs.company).toBe('c1');
    expect(store.rows('person')[0]?.aliased).toEqual({ company: { id: 'c7', file: 'company.csv', line: 3 } });
  });

  it('gives a link the company of the row it came from, to tell apart two people of one name', async () => {
    // Act
    await accept('deal', { 'Deal Name': 'Renewal', Company: 'Acme', 'Contact person': 'Jane Doe' });
    await flow.finish();

    // Assess
    expect(store.rows('link').map((l) => l.refs)).toEqual([
      { deal: 'Renewal', person: 'Jane Doe', company: 'Acme' },
    ]);
  });

  it('gives a company without a website the domain its people share, unless another company has it', async () => {
    // Act
    await accept('company', { Id: 'c1', Name: 'Harbor & Pine' });
    await accept('company', { Id: 'c2', Name: 'Acme', Website: 'acme.com' });
    await accept('company', { Id: 'c3', Name: 'Acme Labs' });
    await accept('person', { 'First Name': 'Maya', Email: 'maya@harborpine.law', 'Company ID': 'c1' });
    await accept('person', { 'First Name': 'Omar', Email: 'omar@harborpine.law', Company: 'Harbor & Pine' });
    await accept('person', { 'First Name': 'Ann', Email: 'ann@acme.com', 'Company ID': 'c3' });
    await flow.finish();

    // Assess
    expect(store.rows('company').map((c) => [c.fields.name, c.fields.domains, c.key])).toEqual([
      ['Acme', ['acme.com'], 'domain:acme.com'],
      ['Harbor & Pine', ['harborpine.law'], 'domain:harborpine.law'],
      ['Acme Labs', undefined, 'name:acme labs'],
    ]);
    expect(log.cleaning.domainsFromEmails).toBe(1);
  });

  it('counts a failure as a row of its entity and of its file', async () => {
    // Act
    flow.fail('deal', { file: 'x.csv', line: 3, code: 'MALFORMED_FILE', message: 'bad', raw: {} }, tally);
    await flow.finish();

    // Assess
    expect(flow.counts.deal).toMatchObject({ rows: 1, failed: 1 });
    expect(tally).toMatchObject({ rows: 1, failed: 1 });
    expect(store.failures()).toHaveLength(1);
  });
});
