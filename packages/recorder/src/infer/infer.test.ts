import { describe, expect, it } from 'vitest';
import { templatePath } from './path.js';
import { inferBody, looksLikeEnum, shapeOf } from './values.js';

const rule = (matcher: object) => ({ combine: 'AND', matchers: [matcher] });

describe('templatePath', () => {
  it('turns numeric ids, UUIDs, dates, hashes and prefixed ids into placeholders and keeps words and versions', () => {
    expect(templatePath('/api/v1/orders/17/items/42')).toBe('/api/v1/orders/{id}/items/{id2}');
    expect(templatePath('/users/3f2504e0-4f89-11d3-9a0c-0305e82c3301')).toBe('/users/{uuid}');
    expect(templatePath('/reports/2026-11-18/summary')).toBe('/reports/{date}/summary');
    expect(templatePath('/blobs/9b74c9897bac770ffc029102a200c5de')).toBe('/blobs/{hash}');
    expect(templatePath('/api/tracking/SHP-1001/events')).toBe('/api/tracking/{id}/events');
    expect(templatePath('/api/oauth2/deadbeef')).toBe('/api/oauth2/deadbeef');
  });

  it('prefers a given template (an OpenAPI path), the most literal one when several fit', () => {
    const templates = ['/api/tracking/{shipmentId}', '/api/tracking/{shipmentId}/events', '/api/{any}/events'];
    expect(templatePath('/api/tracking/SHP-1/events', templates)).toBe('/api/tracking/{shipmentId}/events');
    expect(templatePath('/api/tracking/abc', templates)).toBe('/api/tracking/{shipmentId}');
    expect(templatePath('/other/7', templates)).toBe('/other/{id}');
  });
});

describe('inferBody', () => {
  it('gives regexes to UUIDs, date-times, dates and e-mails, equality to agreeing enum-like values, types to the rest', () => {
    const { example, rules } = inferBody([
      {
        id: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
        at: '2026-11-18T07:30:00.123456Z',
        day: '2026-11-18',
        email: 'carol@shop.example',
        status: 'in_transit',
        country: 'FR',
        city: 'Paris',
        count: 3,
        ok: true,
        eta: null,
      },
      {
        id: '9b74c989-7bac-470f-8c02-9102a200c5de',
        at: '2026-11-19T08:00:00Z',
        day: '2026-11-19',
        email: 'mo@mobile.example',
        status: 'in_transit',
        country: 'FR',
        city: 'Lyon',
        count: 4,
        ok: false,
        eta: null,
      },
    ]);
    expect(example).toMatchObject({ id: '3f2504e0-4f89-11d3-9a0c-0305e82c3301', status: 'in_transit' });
    expect(rules['$.id']!.matchers[0]).toMatchObject({ match: 'regex' });
    expect(rules['$.at']!.matchers[0]).toMatchObject({ match: 'regex' });
    expect(new RegExp(rules['$.at']!.matchers[0]!.regex as string).test('2026-11-18 07:30:00')).toBe(false);
    expect(rules['$.day']!.matchers[0]).toMatchObject({ match: 'regex', regex: '^\\d{4}-\\d{2}-\\d{2}$' });
    expect(rules['$.email']!.matchers[0]).toMatchObject({ match: 'regex' });
    expect(rules['$.status']).toEqual(rule({ match: 'equality' }));
    expect(rules['$.country']).toEqual(rule({ match: 'equality' }));
    expect(rules['$.city']).toEqual(rule({ match: 'type' }));
    expect(rules['$.count']).toEqual(rule({ match: 'type' }));
    expect(rules['$.ok']).toEqual(rule({ match: 'type' }));
    expect(rules['$.eta']).toEqual(rule({ match: 'null' }));
  });

  it('matches an enum-like field by type when the observations disagree', () => {
    const { rules } = inferBody([{ status: 'open' }, { status: 'closed' }]);
    expect(rules['$.status']).toEqual(rule({ match: 'type' }));
  });

  it('writes each-like rules for arrays of one shape, inferring the element from every element seen', () => {
    const { example, rules } = inferBody([
      {
        events: [
          { id: 'E-1', kind: 'scan' },
          { id: 'E-2', kind: 'scan' },
        ],
      },
      { events: [{ id: 'E-3', kind: 'scan' }] },
    ]);
    expect(example).toEqual({ events: [{ id: 'E-1', kind: 'scan' }] });
    expect(rules['$.events']).toEqual(rule({ match: 'type', min: 1 }));
    expect(rules['$.events[*].id']).toEqual(rule({ match: 'type' }));
    expect(rules['$.events[*].kind']).toEqual(rule({ match: 'equality' }));
  });

  it('does not pin an enum-like field of an array seen with one element: its siblings may differ', () => {
    const { rules } = inferBody([{ events: [{ status: 'delivered' }] }]);
    expect(rules['$.events[*].status']).toEqual(rule({ match: 'type' }));
  });

  it('keeps arrays of mixed shapes element by element, and lets an empty array grow', () => {
    const { example, rules } = inferBody([{ mixed: [1, 'a'], none: [] }]);
    expect(example).toEqual({ mixed: [1, 'a'], none: [] });
    expect(rules['$.mixed[0]']).toEqual(rule({ match: 'type' }));
    expect(rules['$.none']).toEqual(rule({ match: 'type', min: 0 }));
    expect(rules['$.mixed']).toBeUndefined();
  });

  it('quotes keys that are not plain names in rule paths', () => {
    expect(Object.keys(inferBody([{ 'first name': 'Ann', "it's": 'x y' }]).rules)).toEqual([
      "$['first name']",
      "$['it\\'s']",
    ]);
  });
});

describe('shapes and enums', () => {
  it('gives arrays of one element shape the same fingerprint whatever their length', () => {
    expect(shapeOf({ a: [1, 2, 3] })).toBe(shapeOf({ a: [7] }));
    expect(shapeOf({ a: [] })).not.toBe(shapeOf({ a: [7] }));
    expect(shapeOf({ a: null })).not.toBe(shapeOf({ a: { b: 1 } }));
  });

  it('treats identifiers and codes as enum-like, names and ids not', () => {
    expect(['in_transit', 'out-for-delivery', 'FR', 'PENDING_REVIEW'].every(looksLikeEnum)).toBe(true);
    expect(['Paris', 'SHP-1001', 'Delivered to the door', ''].some(looksLikeEnum)).toBe(false);
  });
});
