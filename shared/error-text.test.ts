import { describe, expect, it } from 'vitest';
import { errorName, errorText } from './error-text.ts';

describe('errorText', () => {
  it('names the error type unless it is a plain Error, and keeps the first line only', () => {
    expect(errorText(new Error('first\nsecond'))).toBe('first');
    expect(errorText(new TypeError('bad value'))).toBe('TypeError: bad value');
    const named = new Error('');
    named.name = 'AccessDenied';
    expect(errorText(named)).toBe('AccessDenied');
  });

  it('puts thrown strings and other values into words without inventing detail', () => {
    expect(errorText('plain\ntext')).toBe('plain');
    expect(errorText({ secret: 'x' })).toBe('unknown error');
    expect(errorText(undefined)).toBe('unknown error');
  });
});

describe('errorName', () => {
  it('never carries the message, which may quote input', () => {
    const error = new Error('password=hunter2');
    error.name = 'InvalidParameterException';
    expect(errorName(error)).toBe('InvalidParameterException');
    expect(errorName('password=hunter2')).toBe('unknown error');
  });

  it('says how many attempts an SDK call took after retries', () => {
    const error = Object.assign(new Error('slow down'), { name: 'ThrottlingException', $metadata: { attempts: 6 } });
    expect(errorName(error)).toBe('ThrottlingException, after 6 attempts');
  });
});
