import { expect, it } from 'vitest';
import { markdownTable } from './markdown-table.ts';

it('markdownTable aligns figures right and text left', () => {
  expect(markdownTable(['case', 'ns/op'], [['a', '1'], ['b', '22']], ['left', 'right'])).toBe(
    ['| case | ns/op |', '|---|---:|', '| a | 1 |', '| b | 22 |'].join('\n'),
  );
});
