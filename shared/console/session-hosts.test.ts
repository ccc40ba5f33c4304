import { describe, expect, it } from 'vitest';
import { consoleModeEvidence, consoleSessionOf, localSessionOrigin, sessionPageUrl } from './session-hosts.ts';

describe('consoleSessionOf', () => {
  it('reads account, session and region from a multi-session console host of each partition', () => {
    expect(consoleSessionOf('https://111111111111-abcd1234.eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:')).toEqual({
      accountId: '111111111111',
      sessionId: 'abcd1234',
      region: 'eu-west-1',
      origin: 'https://111111111111-abcd1234.eu-west-1.console.aws.amazon.com',
    });
    expect(consoleSessionOf('https://222222222222-0a1b2c3d.us-gov-west-1.console.amazonaws-us-gov.com/')?.region).toBe('us-gov-west-1');
    expect(consoleSessionOf('https://333333333333-zzzzzzzz.cn-north-1.console.amazonaws.cn/')?.accountId).toBe('333333333333');
  });

  it("reads the local stand-in's session hosts, over http on loopback names only", () => {
    const origin = localSessionOrigin('111111111111', 'abcd1234', 'eu-west-1', 41234);
    expect(origin).toBe('http://111111111111-abcd1234.eu-west-1.console.localhost:41234');
    expect(consoleSessionOf(`${origin}/console/home`)).toMatchObject({ accountId: '111111111111', sessionId: 'abcd1234', origin });
    expect(consoleSessionOf('https://111111111111-abcd1234.eu-west-1.console.localhost/')).toBeUndefined();
  });

  it.each([
    ['a plain regional console', 'https://eu-west-1.console.aws.amazon.com/ec2/home'],
    ['the global console', 'https://console.aws.amazon.com/'],
    ['http to AWS', 'http://111111111111-abcd1234.eu-west-1.console.aws.amazon.com/'],
    ['a port', 'https://111111111111-abcd1234.eu-west-1.console.aws.amazon.com:8443/'],
    ['a short account id', 'https://11111111111-abcd1234.eu-west-1.console.aws.amazon.com/'],
    ['a session id of the wrong length', 'https://111111111111-abcd123.eu-west-1.console.aws.amazon.com/'],
    ['no region', 'https://111111111111-abcd1234.console.aws.amazon.com/'],
    ['a region that is none', 'https://111111111111-abcd1234.xx-nowhere.console.aws.amazon.com/'],
    ['a look-alike', 'https://111111111111-abcd1234.eu-west-1.console.aws.amazon.com.evil.example/'],
    ['an extra label', 'https://x.111111111111-abcd1234.eu-west-1.console.aws.amazon.com/'],
    ['user info', 'https://me@111111111111-abcd1234.eu-west-1.console.aws.amazon.com/'],
    ['not a URL', 'console'],
    ['nothing', undefined],
  ])('is not a session host: %s', (_name, address) => {
    expect(consoleSessionOf(address)).toBeUndefined();
  });
});

describe('consoleModeEvidence', () => {
  it('takes a session host for multi-session mode and a plain regional console for single-session mode', () => {
    expect(consoleModeEvidence('https://111111111111-abcd1234.eu-west-1.console.aws.amazon.com/')?.mode).toBe('multi-session');
    expect(consoleModeEvidence('https://eu-west-1.console.aws.amazon.com/ec2/home')).toEqual({ mode: 'single-session' });
  });

  it('says nothing of pages that tell neither', () => {
    expect(consoleModeEvidence('https://console.aws.amazon.com/')).toBeUndefined();
    expect(consoleModeEvidence('https://s3.console.aws.amazon.com/s3/home')).toBeUndefined();
    expect(consoleModeEvidence('https://signin.aws.amazon.com/oauth')).toBeUndefined();
    expect(consoleModeEvidence('https://example.com/')).toBeUndefined();
    expect(consoleModeEvidence('http://eu-west-1.console.localhost:4000/')).toBeUndefined();
  });
});

describe('sessionPageUrl', () => {
  const session = { origin: 'https://111111111111-abcd1234.eu-west-1.console.aws.amazon.com', region: 'eu-west-1' };

  it("opens the console home, or a destination's path, query and fragment, on the session's own host", () => {
    expect(sessionPageUrl(session)).toBe(`${session.origin}/console/home?region=eu-west-1`);
    expect(sessionPageUrl(session, '/ec2/home#Instances:', 'us-east-1')).toBe(`${session.origin}/ec2/home?region=us-east-1#Instances:`);
    expect(sessionPageUrl(session, 'https://eu-central-1.console.aws.amazon.com/s3/home?region=eu-central-1')).toBe(
      `${session.origin}/s3/home?region=eu-central-1`,
    );
  });

  it('never leaves the session host, whatever the destination says', () => {
    for (const hostile of ['//evil.example/x', 'https://evil.example//evil.example/x', '/\\evil.example', 'javascript:alert(1)']) {
      expect(new URL(sessionPageUrl(session, hostile)).origin).toBe(session.origin);
    }
  });
});
