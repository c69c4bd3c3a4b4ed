/**
 * docs/telemetry-contract.md and this package's exports must name the same things, in both
 * directions.
 *
 * Reading the document: only markdown tables count. The first cell of a table's header row
 * is its role (`attribute`, `value`, `metric`, `span operation`, `event`, `unit`,
 * `histogram buckets`, `limit`, `reserved value`); tables with any other header are prose.
 * Each row of a role table defines exactly one name, in backticks, in its first cell. A
 * `value` row names the attribute(s) it belongs to in its `attribute` column, so every
 * attribute's closed value set is collected; `attributes` and `unit` columns may only
 * reference attribute keys and units the document defines.
 *
 * Reading the exports: strings by prefix (`ATTR_` attribute, `METRIC_` metric, `SPAN_` span
 * operation, `EVENT_` event, any other string a reserved value), `Unit` for units, any other
 * frozen object of strings is a closed value set (an enum), arrays of numbers are bucket
 * advice and numbers are limits. Objects of numbers (OpenTelemetry severity levels) and the
 * package's own name and version are not contract names. Any other kind of export fails the
 * test, so a new one must be classified here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as semconv from './index';

const DOCUMENT_URL = new URL('../../../docs/telemetry-contract.md', import.meta.url);

const NAME_ROLES = ['attribute', 'metric', 'span operation', 'event', 'unit', 'reserved value'] as const;
type NameRole = (typeof NAME_ROLES)[number];
const ROLES = [...NAME_ROLES, 'value', 'histogram buckets', 'limit'] as const;
type Role = (typeof ROLES)[number];

const PREFIX_ROLES: ReadonlyArray<readonly [string, NameRole]> = [
  ['ATTR_', 'attribute'],
  ['METRIC_', 'metric'],
  ['SPAN_', 'span operation'],
  ['EVENT_', 'event'],
];
const NOT_CONTRACT_NAMES = new Set(['PACKAGE_NAME', 'PACKAGE_VERSION']);

/** One row of a role table. */
interface Row {
  role: Role;
  name: string;
  line: number;
  column(header: string): string;
}

/** What one side (document or exports) names; value sets and lists are keyed by where they come from. */
interface Names {
  names: Map<NameRole, Map<string, string>>;
  valueSets: Map<string, ReadonlySet<string>>;
  buckets: Map<string, readonly number[]>;
  limits: Map<string, number>;
}

function emptyNames(): Names {
  return { names: new Map(NAME_ROLES.map((role) => [role, new Map()])), valueSets: new Map(), buckets: new Map(), limits: new Map() };
}

const cellsOf = (line: string): string[] => line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((cell) => cell.trim());
const isTableLine = (line: string | undefined): boolean => line !== undefined && line.trim().startsWith('|');
const isSeparator = (line: string | undefined): boolean => line !== undefined && /^\|(\s*:?-+:?\s*\|)+$/.test(line.trim());
const backticked = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1] as string);

function roleTableRows(markdown: string): Row[] {
  const lines = markdown.split('\n');
  const rows: Row[] = [];
  let index = 0;
  while (index < lines.length) {
    if (!isTableLine(lines[index]) || !isSeparator(lines[index + 1])) {
      index += 1;
      continue;
    }
    const header = cellsOf(lines[index] as string).map((cell) => cell.toLowerCase());
    const role = ROLES.find((candidate) => candidate === header[0]);
    for (index += 2; isTableLine(lines[index]); index += 1) {
      if (role === undefined) continue;
      const cells = cellsOf(lines[index] as string);
      const line = index + 1;
      const name = /^`([^`]+)`$/.exec(cells[0] ?? '')?.[1];
      if (name === undefined) throw new Error(`line ${line}: a ${role} row must start with one name in backticks, found "${cells[0]}"`);
      rows.push({ role, name, line, column: (wanted) => cells[header.indexOf(wanted)] ?? '' });
    }
  }
  return rows;
}

const numberList = (text: string): number[] => text.split(',').map((part) => Number(part.trim()));

function documentNames(rows: readonly Row[]): Names {
  const found = emptyNames();
  for (const row of rows) {
    const where = `line ${row.line}`;
    if (row.role === 'value') {
      for (const attribute of backticked(row.column('attribute'))) {
        const values = new Set(found.valueSets.get(attribute));
        found.valueSets.set(attribute, values.add(row.name));
      }
    } else if (row.role === 'histogram buckets') found.buckets.set(where, numberList(row.name));
    else if (row.role === 'limit') found.limits.set(where, Number(row.name));
    else found.names.get(row.role)?.set(row.name, where);
  }
  return found;
}

function isStringRecord(value: object): value is Record<string, string> {
  return Object.values(value).every((member) => typeof member === 'string');
}

function exportedNames(exports: Record<string, unknown>): Names {
  const found = emptyNames();
  for (const [exportName, value] of Object.entries(exports)) {
    if (NOT_CONTRACT_NAMES.has(exportName)) continue;
    if (typeof value === 'string') {
      const role = PREFIX_ROLES.find(([prefix]) => exportName.startsWith(prefix))?.[1] ?? 'reserved value';
      found.names.get(role)?.set(value, exportName);
    } else if (typeof value === 'number') found.limits.set(exportName, value);
    else if (Array.isArray(value) && value.every((item) => typeof item === 'number')) found.buckets.set(exportName, value);
    else if (exportName === 'Unit' && typeof value === 'object' && value !== null && isStringRecord(value)) {
      for (const [member, unit] of Object.entries(value)) found.names.get('unit')?.set(unit, `Unit.${member}`);
    } else if (typeof value === 'object' && value !== null && isStringRecord(value)) found.valueSets.set(exportName, new Set(Object.values(value)));
    else if (typeof value === 'object' && value !== null && Object.values(value).every((member) => typeof member === 'number')) continue;
    else throw new Error(`${exportName}: an export of a kind the contract test does not classify`);
  }
  return found;
}

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => a.size === b.size && [...a].every((item) => b.has(item));
const sameList = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((item, i) => item === b[i]);
const listed = (set: ReadonlySet<string>): string => [...set].map((item) => `"${item}"`).join(', ');

/** The names `from` has in a role that `to` lacks, each with where it came from. */
function missingNames(from: Names, to: Names, toLabel: string): string[] {
  return NAME_ROLES.flatMap((role) =>
    [...(from.names.get(role) ?? new Map<string, string>())]
      .filter(([name]) => !to.names.get(role)?.has(name))
      .map(([name, where]) => `${role} "${name}" (${where}) has no ${role} in ${toLabel}`),
  );
}

function unmatchedValueSets(from: Names, to: Names, toLabel: string): string[] {
  return [...from.valueSets]
    .filter(([, values]) => ![...to.valueSets.values()].some((other) => sameSet(values, other)))
    .map(([owner, values]) => `value set of ${owner} {${listed(values)}} matches no value set in ${toLabel}`);
}

function unmatchedNumbers(from: Names, to: Names, toLabel: string): string[] {
  const buckets = [...from.buckets]
    .filter(([, list]) => ![...to.buckets.values()].some((other) => sameList(list, other)))
    .map(([owner, list]) => `histogram buckets [${list.join(', ')}] (${owner}) are not in ${toLabel}`);
  const limits = [...from.limits]
    .filter(([, limit]) => ![...to.limits.values()].includes(limit))
    .map(([owner, limit]) => `limit ${limit} (${owner}) is not in ${toLabel}`);
  return [...buckets, ...limits];
}

function danglingReferences(rows: readonly Row[], document: Names): string[] {
  const attributes = document.names.get('attribute') ?? new Map();
  const units = document.names.get('unit') ?? new Map();
  return rows.flatMap((row) => [
    ...backticked(row.column(row.role === 'value' ? 'attribute' : 'attributes'))
      .filter((key) => !attributes.has(key))
      .map((key) => `line ${row.line}: "${key}" is not a documented attribute`),
    ...backticked(row.column('unit'))
      .filter((unit) => !units.has(unit))
      .map((unit) => `line ${row.line}: "${unit}" is not a documented unit`),
  ]);
}

describe('the telemetry contract document and @dyntel/semconv', () => {
  const rows = roleTableRows(readFileSync(DOCUMENT_URL, 'utf8'));
  const document = documentNames(rows);
  const exports = exportedNames(semconv);

  it('finds rows of every role in the document', () => {
    expect(ROLES.filter((role) => !rows.some((row) => row.role === role))).toEqual([]);
  });

  it('has a constant for every name in the document', () => {
    expect([
      ...missingNames(document, exports, '@dyntel/semconv'),
      ...unmatchedValueSets(document, exports, "@dyntel/semconv's enums"),
      ...unmatchedNumbers(document, exports, '@dyntel/semconv'),
    ]).toEqual([]);
  });

  it('documents every name @dyntel/semconv exports, in its role', () => {
    expect([
      ...missingNames(exports, document, 'the document'),
      ...unmatchedValueSets(exports, document, 'the document'),
      ...unmatchedNumbers(exports, document, 'the document'),
    ]).toEqual([]);
  });

  it('references only attributes and units the document defines', () => {
    expect(danglingReferences(rows, document)).toEqual([]);
  });
});
