import { describe, expect, it } from 'vitest';
import { compileCategory, selectRules } from '../rules.js';
import { fieldState, itemState, rootState, stateAt } from './rule-state.js';

const rulesOf = (...expressions: string[]) =>
  compileCategory(
    Object.fromEntries(expressions.map((e, i) => [e, { matchers: [{ match: 'regex', regex: `r${i}` }] }])),
    '$.matchingRules.body',
    true,
  );

describe('rule states', () => {
  it('select the most specific rule, cascading to children, as selectRules does', () => {
    const rules = rulesOf('$.items', '$.items[*].id', '$.items[*].*', '$.items[2].id');
    expect(stateAt(rules, ['$', 'items']).selected).toEqual({
      list: rules.rules[0]!.list,
      cascaded: false,
      expression: '$.items',
    });
    expect(stateAt(rules, ['$', 'items', 0]).selected?.expression).toBe('$.items');
    expect(stateAt(rules, ['$', 'items', 0]).selected?.cascaded).toBe(true);
    expect(stateAt(rules, ['$', 'items', 0, 'id']).selected?.expression).toBe('$.items[*].id');
    expect(stateAt(rules, ['$', 'items', 0, 'name']).selected?.expression).toBe('$.items[*].*');
    expect(stateAt(rules, ['$', 'items', 2, 'id']).selected?.expression).toBe('$.items[2].id');
    expect(stateAt(rules, ['$', 'items', 2, 'id', 'x']).selected).toMatchObject({
      expression: '$.items[2].id',
      cascaded: true,
    });
    expect(stateAt(rules, ['$', 'other']).selected).toBeUndefined();
  });

  it('break ties by the longer expression, then by the rule listed first', () => {
    // `$.*.b` and `$.a.*` weigh the same at $.a.b (2*1*2 = 2*2*1) and are as long: the first listed wins.
    expect(stateAt(rulesOf('$.*.b', '$.a.*'), ['$', 'a', 'b']).selected?.expression).toBe('$.*.b');
    expect(stateAt(rulesOf('$.a.*', '$.*.b'), ['$', 'a', 'b']).selected?.expression).toBe('$.a.*');
    // `$.a` (2*2, cascading) and `$.*.b` (2*1*2) weigh the same at $.a.b: the longer one wins, though listed second.
    expect(stateAt(rulesOf('$.a', '$.*.b'), ['$', 'a', 'b']).selected?.expression).toBe('$.*.b');
  });

  it('match index-like object keys with [n] and [*], and list items with quoted numeric names', () => {
    const rules = rulesOf('$.byId[*].name', "$.list['1']", '$.byId[7]');
    expect(stateAt(rules, ['$', 'byId', '3', 'name']).selected?.expression).toBe('$.byId[*].name');
    expect(stateAt(rules, ['$', 'byId', '7']).selected?.expression).toBe('$.byId[7]');
    expect(stateAt(rules, ['$', 'byId', 'x', 'name']).selected).toBeUndefined();
    expect(stateAt(rules, ['$', 'list', 1]).selected?.expression).toBe("$.list['1']");
    expect(stateAt(rules, ['$', 'list', 0]).selected).toBeUndefined();
  });

  it('are shared between places no rule tells apart, so a walk over repeated items builds nothing', () => {
    const rules = rulesOf('$.items[*].id', '$.items[3].id');
    const items = fieldState(rootState(rules), 'items');
    expect(itemState(items, 0)).toBe(itemState(items, 12));
    expect(itemState(items, 3)).not.toBe(itemState(items, 0));
    expect(fieldState(itemState(items, 0), 'name')).toBe(fieldState(itemState(items, 1), 'other'));
    expect(rootState(rules)).toBe(rootState(rules));
  });

  it('agree with selectRules on random rule sets and paths', () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * n); // high bits: the low bits of this generator repeat quickly
    };
    const ruleSteps = ['.a', '.b', "['0']", '[0]', '[1]', '[*]', '.*'];
    const pathSteps: (string | number)[] = ['a', 'b', '0', '1', 'c', 0, 1, 2];
    for (let round = 0; round < 150; round++) {
      const expressions = new Set<string>();
      const count = 1 + random(6);
      while (expressions.size < count) {
        let e = '$';
        for (let i = 1 + random(3); i > 0; i--) e += ruleSteps[random(ruleSteps.length)];
        expressions.add(e);
      }
      const rules = rulesOf(...expressions);
      for (let p = 0; p < 20; p++) {
        const path: (string | number)[] = ['$'];
        for (let i = random(5); i > 0; i--) path.push(pathSteps[random(pathSteps.length)]!);
        expect(stateAt(rules, path).selected, `${[...expressions].join(' ')} at ${path.join('/')}`).toEqual(
          selectRules(rules, path),
        );
      }
    }
  });
});
