/** A count with its noun as a person says it: `1 row`, `2 rows`, `1 file`, `0 people` (given the plural). */
export const countOf = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
