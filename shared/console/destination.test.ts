import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkConsoleDestination, isConsoleUrl, type DestinationCheck } from './destination.ts';
import type { Partition } from './partitions.ts';

const check = (destination: string | undefined, options: { region?: string; partition?: Partition; defaultRegion?: string } = {}) =>
  checkConsoleDestination({
    destination,
    region: options.region,
    partition: options.partition ?? 'aws',
    defaultRegion:
      options.defaultRegion ?? (options.partition === 'aws-cn' ? 'cn-north-1' : options.partition === 'aws-us-gov' ? 'us-gov-west-1' : 'us-east-1'),
  });

function accepted(result: DestinationCheck): { url: string; region: string; host: string } {
  if (!result.ok) throw new Error(`refused: ${result.message}`);
  return result.destination;
}

function refused(result: DestinationCheck): string {
  if (result.ok) throw new Error(`accepted: ${result.destination.url}`);
  return result.message;
}

/**
 * The oracle, written apart from the code under test: a console origin of the partition is https, no user
 * name, password or port, on the console host, a regional console host of that partition, or S3's.
 */
const CONSOLE_HOST: Record<Partition, RegExp> = {
  aws: /^(console|s3\.console|(?!cn-)[a-z]{2}-[a-z]+-\d{1,2}\.console)\.aws\.amazon\.com$/,
  'aws-us-gov': /^(console|us-gov-[a-z]+-\d{1,2}\.console)\.amazonaws-us-gov\.com$/,
  'aws-cn': /^(console|cn-[a-z]+-\d{1,2}\.console)\.amazonaws\.cn$/,
};
function onConsoleOrigin(href: string, partition: Partition): boolean {
  const url = new URL(href);
  return url.protocol === 'https:' && url.username === '' && url.password === '' && url.port === '' && CONSOLE_HOST[partition].test(url.hostname);
}

describe('console destinations', () => {
  it('opens a path on the console host in the requested region', () => {
    expect(accepted(check('/ec2/home#Instances:', { region: 'eu-west-1' }))).toEqual({
      url: 'https://console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:',
      region: 'eu-west-1',
      host: 'console.aws.amazon.com',
    });
    expect(accepted(check(undefined)).url).toBe('https://console.aws.amazon.com/console/home?region=us-east-1');
  });

  it('keeps a full URL as written, its region host included', () => {
    const url = 'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:';
    expect(accepted(check(url))).toEqual({ url, region: 'eu-west-1', host: 'eu-west-1.console.aws.amazon.com' });
    expect(accepted(check('https://eu-west-1.console.aws.amazon.com/ec2/home')).region).toBe('eu-west-1');
    expect(accepted(check('https://eu-west-1.console.aws.amazon.com/ec2/home')).url).toBe('https://eu-west-1.console.aws.amazon.com/ec2/home');
  });

  it("takes the region from the path's region= when the request names none", () => {
    expect(accepted(check('/ec2/home?region=ap-south-1'))).toMatchObject({
      region: 'ap-south-1',
      url: 'https://console.aws.amazon.com/ec2/home?region=ap-south-1',
    });
  });

  it('adds the region to a global URL that names none, without re-encoding its query', () => {
    expect(accepted(check('https://s3.console.aws.amazon.com/s3/buckets/logs?prefix=a%2Fb%20c', { region: 'eu-west-1' })).url).toBe(
      'https://s3.console.aws.amazon.com/s3/buckets/logs?prefix=a%2Fb%20c&region=eu-west-1',
    );
  });

  it('drops the session part of a multi-session console host, keeping its region', () => {
    expect(accepted(check('https://111111111111-abcd1234.eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1#'))).toEqual({
      url: 'https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1#',
      region: 'eu-west-1',
      host: 'eu-west-1.console.aws.amazon.com',
    });
  });

  it('serves each partition its own console', () => {
    expect(accepted(check('/ec2/home', { partition: 'aws-cn' })).url).toBe('https://console.amazonaws.cn/ec2/home?region=cn-north-1');
    expect(accepted(check('https://us-gov-east-1.console.amazonaws-us-gov.com/ec2/home', { partition: 'aws-us-gov' })).region).toBe('us-gov-east-1');
    expect(refused(check('https://console.aws.amazon.com/ec2/home', { partition: 'aws-cn' }))).toBe(
      'destination: console.aws.amazon.com is the console of aws; this Switchyard deployment serves aws-cn',
    );
    expect(refused(check('https://cn-north-1.console.aws.amazon.com/', { partition: 'aws' }))).toMatch(
      /is not an AWS console host of this deployment/,
    );
  });

  it.each([
    ['//evil.example.com/', 'destination: start it with / for a console path or https:// for a console URL'],
    ['/\\evil.example.com/x', 'destination: backslashes are not allowed'],
    ['//127.0.0.1:1/x', 'destination: start it with / for a console path or https:// for a console URL'],
    [
      '//signin.aws.amazon.com/federation?Action=logout&redirect_uri=https://evil.example.com/',
      'destination: start it with / for a console path or https:// for a console URL',
    ],
    ['https://console.aws.amazon.com.evil.com/', /^destination: console\.aws\.amazon\.com\.evil\.com is not an AWS console host/],
    ['https://console.aws.amazon.com@evil.example.com/', 'destination: a user name or password in the URL is not allowed'],
    ['https://evil.example.com\\@console.aws.amazon.com/', 'destination: backslashes are not allowed'],
    ['https://a:b@console.aws.amazon.com/', 'destination: a user name or password in the URL is not allowed'],
    ['http://console.aws.amazon.com/', 'destination: only https console URLs are accepted'],
    ['HTTP://console.aws.amazon.com/', 'destination: only https console URLs are accepted'],
    ['/%2F%2Fevil.example.com/', 'destination: its encoded characters decode to another host'],
    ['/%252F%252Fevil.example.com/', 'destination: its encoded characters decode to another host'],
    ['/%5Cevil.example.com', 'destination: its encoded characters decode to another host'],
    ['/%09/evil.example.com', 'destination: its encoded characters decode to another host'],
    ['https://console.aws.amazon.com/%2F%2Fevil.example.com', 'destination: its encoded characters decode to another host'],
    ['https://console.aws.amazon.com%2F@evil.example.com/', 'destination: a user name or password in the URL is not allowed'],
    ['https://console%2Eaws.amazon.com/', 'destination: percent-encoded characters in the host are not allowed'],
    ['javascript:alert(1)', 'destination: start it with / for a console path or https:// for a console URL'],
    ['data:text/html,hi', 'destination: start it with / for a console path or https:// for a console URL'],
    ['ec2/home', 'destination: start it with / for a console path or https:// for a console URL'],
    [' /ec2/home', 'destination: remove the white space before or after it'],
    ['/ec2/home\n', 'destination: remove the white space before or after it'],
    ['\u00a0/ec2/home', 'destination: remove the white space before or after it'],
    ['/ec2/ home', 'destination: white space and control characters are not allowed inside it'],
    ['/ec2/\u0000home', 'destination: white space and control characters are not allowed inside it'],
    ['https://console.aws.amazon.com:8443/', 'destination: a port in the URL is not allowed'],
    ['https://console.aws.amazon.com./', /^destination: console\.aws\.amazon\.com\. is not an AWS console host/],
    ['https://signin.aws.amazon.com/federation', /^destination: signin\.aws\.amazon\.com is not an AWS console host/],
    ['https://xn--cnsole-9ta.aws.amazon.com/', /is not an AWS console host/],
    ['https://eu-west-1.console.aws.amazon.com/?region=us-east-1', 'destination: its host is in eu-west-1 but its region= says us-east-1'],
    ['/ec2/home?region=cn-north-1', 'destination: region=cn-north-1 is not a region of aws'],
    ['/ec2/home?region=%0Aevil', 'destination: its region= parameter is not a region of aws'],
    ['/ec2/home?region=eu-west-1&region=us-east-1', 'destination: it names two regions, eu-west-1 and us-east-1'],
  ])('refuses %j', (destination, message) => {
    expect(refused(check(destination))).toMatch(message);
  });

  it('refuses regions of other partitions and never replaces a region silently', () => {
    expect(refused(check('/ec2/home', { region: 'cn-north-1' }))).toBe(
      'region: cn-north-1 belongs to aws-cn; this Switchyard deployment serves aws (an organization lives in one partition)',
    );
    expect(refused(check('/ec2/home', { region: 'us-iso-east-1' }))).toBe(
      'region: us-iso-east-1 belongs to aws-iso, a partition Switchyard does not serve (it serves aws, aws-us-gov, aws-cn)',
    );
    expect(refused(check('https://eu-west-1.console.aws.amazon.com/', { region: 'us-east-1' }))).toBe(
      'region: the request says us-east-1 but the destination is in eu-west-1; leave region out or make them agree',
    );
    expect(refused(check('/ec2/home?region=eu-west-1', { region: 'us-east-1' }))).toMatch(/the destination is in eu-west-1/);
  });

  it('says truthfully why a region name is refused: no AWS region at all, or one of another partition', () => {
    expect(refused(check('/ec2/home', { region: 'xx-south-1' }))).toMatch(
      /^region: xx-south-1 is not an AWS region: no AWS partition names its regions like this \(AWS SDK data of @aws-sdk\/core [\d.]+\)$/,
    );
    expect(refused(check('/ec2/home?region=xx-south-1'))).toBe('destination: region=xx-south-1 is not a region of aws');
    expect(refused(check('https://xx-south-1.console.aws.amazon.com/'))).toMatch(/xx-south-1\.console\.aws\.amazon\.com is not an AWS console host/);
    expect(refused(check('/ec2/home', { region: 'eusc-de-east-1' }))).toBe(
      'region: eusc-de-east-1 belongs to aws-eusc, a partition Switchyard does not serve (it serves aws, aws-us-gov, aws-cn)',
    );
  });

  it('opens a region whose name fits the partition even when AWS does not list it yet', () => {
    expect(accepted(check('/ec2/home', { region: 'ap-southeast-123' })).url).toBe('https://console.aws.amazon.com/ec2/home?region=ap-southeast-123');
  });

  it('tells console URLs from the rest', () => {
    expect(isConsoleUrl('https://eu-west-1.console.aws.amazon.com/x', 'aws')).toBe(true);
    expect(isConsoleUrl('https://111111111111-abcd1234.eu-west-1.console.aws.amazon.com/x', 'aws')).toBe(false);
    expect(isConsoleUrl('https://console.aws.amazon.com:444/', 'aws')).toBe(false);
    expect(isConsoleUrl('not a url', 'aws')).toBe(false);
  });
});

/** Strings built from the pieces open redirects are made of, so the search reaches the interesting cases. */
const SCHEMES = ['https://', 'HTTPS://', 'http://', '//', '/', '', 'javascript:', ' https://', '/\\'];
const HOST_PIECES = [
  'console.aws.amazon.com',
  'eu-west-1.',
  'cn-north-1.',
  'us-gov-west-1.',
  's3.',
  '111111111111-abcd1234.',
  'evil.example.com',
  'evil',
  '.',
  '@',
  'user:pw@',
  ':443',
  ':8443',
  ':',
  '%2E',
  '%40',
  'console.amazonaws.cn',
  'console.amazonaws-us-gov.com',
  'signin.aws.amazon.com',
  '127.0.0.1',
  'xn--80ak6aa92e.com',
  '\u3002',
  '\uff0e',
  '\\',
];
const TAIL_PIECES = [
  '/',
  '//',
  '\\',
  '?',
  '#',
  '&',
  'region=',
  'eu-west-1',
  'cn-north-1',
  '%2F',
  '%252F',
  '%5C',
  '%09',
  '%2E%2E',
  'ec2/home',
  '@evil.example.com',
  ' ',
];
const urlish = fc
  .tuple(
    fc.constantFrom(...SCHEMES),
    fc.array(fc.constantFrom(...HOST_PIECES), { minLength: 1, maxLength: 4 }),
    fc.array(fc.constantFrom(...TAIL_PIECES), { maxLength: 6 }),
  )
  .map(([scheme, host, tail]) => `${scheme}${host.join('')}${tail.join('')}`);
const anyDestination = fc.oneof(urlish, fc.string(), fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.webPath());

describe('properties of the destination check', () => {
  it('for any string, an accepted destination lands on a console origin of the partition', () => {
    fc.assert(
      fc.property(anyDestination, fc.constantFrom<Partition>('aws', 'aws-us-gov', 'aws-cn'), (destination, partition) => {
        const result = check(destination, { partition });
        if (result.ok) expect(onConsoleOrigin(result.destination.url, partition), result.destination.url).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('an accepted destination is accepted again unchanged, in the same region', () => {
    fc.assert(
      fc.property(anyDestination, (destination) => {
        const first = check(destination);
        if (!first.ok) return;
        const again = accepted(check(first.destination.url));
        expect(again).toEqual(first.destination);
      }),
      { numRuns: 3000 },
    );
  });

  it('a regional console URL keeps its region, whatever its path', () => {
    const region = fc.constantFrom('eu-west-1', 'us-east-2', 'ap-southeast-3', 'il-central-1', 'mx-central-1');
    fc.assert(
      fc.property(region, fc.webPath(), fc.webQueryParameters(), (name, path, query) => {
        const result = check(`https://${name}.console.aws.amazon.com${path}?${query}`);
        if (result.ok) {
          expect(result.destination.region).toBe(name);
          expect(new URL(result.destination.url).hostname).toBe(`${name}.console.aws.amazon.com`);
        }
      }),
    );
  });
});
