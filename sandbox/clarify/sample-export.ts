import { csv } from '#sandbox/common/csv-text.ts';

export interface SampleExportSize {
  companies: number;
  people: number;
  deals: number;
  /** deal <-> person rows; deal i gets person (7 i) mod people, so links spread over people. */
  links: number;
}

/**
 * A generated Clarify job of any size: companies, people at those companies, deals, and deal <-> people
 * links, as the files of one job folder (name -> CSV text). Every row is valid and unique.
 */
export function sampleExport(size: SampleExportSize): Record<string, string> {
  const company = (i: number) => `c${i % size.companies}`;
  const companies = Array.from({ length: size.companies }, (_, i) => [
    `c${i}`,
    `Company ${i}`,
    `company${i}.example`,
  ]);
  const people = Array.from({ length: size.people }, (_, i) => [
    `p${i}`,
    `First${i}`,
    `Last${i}`,
    `person${i}@company${i % size.companies}.example`,
    company(i),
  ]);
  const deals = Array.from({ length: size.deals }, (_, i) => [
    `d${i}`,
    `Deal ${i}`,
    String(1000 + i),
    company(i),
  ]);
  const links = Array.from({ length: size.links }, (_, i) => [
    `d${i % size.deals}`,
    `p${(i * 7) % size.people}`,
  ]);
  return {
    'companies.csv': csv([['Company ID', 'Name', 'Domain'], ...companies]),
    'people.csv': csv([['Person ID', 'First Name', 'Last Name', 'Email', 'Company ID'], ...people]),
    'deals.csv': csv([['Deal ID', 'Deal Name', 'Amount', 'Company ID'], ...deals]),
    'deal_people.csv': csv([['Deal ID', 'Person ID'], ...links]),
  };
}
