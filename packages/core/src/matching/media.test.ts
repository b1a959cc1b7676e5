import { describe, expect, it } from 'vitest';
import { describeMediaTypeDifference } from './media.js';

describe('describeMediaTypeDifference', () => {
  it('finds no difference in case, parameter order or JSON’s redundant charset=utf-8', () => {
    expect(describeMediaTypeDifference('application/json', 'Application/JSON; charset=UTF-8')).toBeUndefined();
    expect(
      describeMediaTypeDifference('application/problem+json', 'application/problem+json;charset=utf-8'),
    ).toBeUndefined();
    expect(
      describeMediaTypeDifference('text/plain; a=1; charset=utf-8', 'text/plain;Charset="UTF-8"; A=1'),
    ).toBeUndefined();
  });

  it('names the media type when it differs', () => {
    expect(describeMediaTypeDifference('application/json', 'text/json')).toBe(
      'the media type is application/json on the monolith but text/json on the candidate',
    );
  });

  it('names each parameter left out, added or changed, with charset meaningful outside JSON', () => {
    expect(describeMediaTypeDifference('text/html; charset=utf-8', 'text/html')).toBe(
      'the candidate leaves out the parameter charset=utf-8',
    );
    expect(describeMediaTypeDifference('application/json; charset=utf-8', 'application/json; charset=iso-8859-1')).toBe(
      'the parameter charset is utf-8 on the monolith but iso-8859-1 on the candidate',
    );
    expect(describeMediaTypeDifference('application/vnd.x+json; version=2', 'application/vnd.x+json; profile=a')).toBe(
      'the candidate leaves out the parameter version=2; the candidate adds the parameter profile=a',
    );
    expect(describeMediaTypeDifference('text/csv; header=Present', 'text/csv; header=present')).toBe(
      'the parameter header is Present on the monolith but present on the candidate',
    );
  });
});
